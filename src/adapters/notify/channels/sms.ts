// An SMS gateway reached over HTTP: the body template's values get {{phone}}, {{text}}, {{id}}
// and {{subject}}; one request per phone number (GET puts the values in the query string).
import type { ReceiverConfig } from '../../../core/notify/config.js';
import { request } from './http.js';
import { recipients } from './recipients.js';
import type { Channel } from './types.js';

const fill = (tpl: string, v: Record<string, string>) => tpl.replace(/\{\{(\w+)\}\}/g, (m, k: string) => v[k] ?? m);

export function sms(cfg: Extract<ReceiverConfig, { type: 'sms' }>): Channel {
  return async (m) => {
    const phones = recipients(cfg.to, cfg.roster, m.onDuty, (p) => p.phone);
    if (!phones.length)
      return {
        ok: false,
        status: null,
        error: 'no recipients (set `to`, or phones for the people on duty)',
        permanent: true,
      };
    // A short text: the subject line and the link.
    const lines = m.payload.text.split('\n');
    const text = [m.subject, lines.find((l) => /https?:\/\//.test(l))].filter(Boolean).join('\n');
    for (const phone of phones) {
      const values = { phone, text, id: m.payload.id, subject: m.subject };
      const body = Object.fromEntries(Object.entries(cfg.body).map(([k, v]) => [k, fill(v, values)]));
      const url =
        cfg.method === 'GET' ? `${cfg.url}${cfg.url.includes('?') ? '&' : '?'}${new URLSearchParams(body)}` : cfg.url;
      const d = await request({
        url,
        method: cfg.method,
        body: JSON.stringify(body),
        headers: cfg.headers,
        timeoutMs: cfg.timeoutMs,
      });
      if (!d.ok) return { ...d, error: `${phone}: ${d.error}` };
    }
    return { ok: true, status: 200, error: null };
  };
}

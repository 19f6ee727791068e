// What the API shows of the internal views (contract section 7), localised where needed.
import type { AlarmView, CircuitView, IncidentView } from '../../core/model.js';
import type { Lang } from '../../core/tickets/runbooks.js';
import type { StoredTicket } from '../../core/tickets/engine.js';

export function pickLang(header: string | string[] | undefined): Lang {
  const h = Array.isArray(header) ? header.join(',') : header ?? '';
  const prefs = h.split(',').map((p) => {
    const [tag, ...params] = p.trim().split(';');
    const q = params.map((x) => /^\s*q=([\d.]+)/.exec(x)).find(Boolean);
    return { tag: tag.toLowerCase(), q: q ? Number(q[1]) : 1 };
  }).filter((p) => p.tag && p.q > 0).sort((a, b) => b.q - a.q);
  for (const p of prefs) {
    if (p.tag.startsWith('zh')) return 'zh-CN';
    if (p.tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function publicTicket(t: StoredTicket, lang: Lang) {
  const { runbooks, titles, escalateAt: _e, ...rest } = t;
  return { ...rest, title: titles?.[lang] ?? t.title, runbook: runbooks?.[lang] ?? t.runbook, language: lang };
}

export function publicIncident(i: IncidentView) {
  const { impact: _i, anchor: _a, explains: _x, ...rest } = i as IncidentView & { anchor?: string; explains?: string[] };
  return rest;
}

export function publicAlarm(a: AlarmView) {
  return a;
}

export function publicCircuit(c: CircuitView) {
  const { switchFailed: _s, switchFailedAt: _a, workingFailedSeen: _w, ...rest } = c;
  return rest;
}

// Generic webhook (contract 2 §8): POST the payload as JSON; `X-Ringguard-Signature:
// sha256=<hex HMAC-SHA256 of the raw body with secret>` when a secret is set.
import { createHmac } from 'node:crypto';
import type { ReceiverConfig } from '../../../core/notify/config.js';
import { request } from './http.js';
import type { Channel } from './types.js';

export const signature = (secret: string, raw: string) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

export function webhook(cfg: Extract<ReceiverConfig, { type: 'webhook' }>): Channel {
  return (m) => {
    const raw = JSON.stringify(m.payload);
    const headers: Record<string, string> = {
      ...cfg.headers,
      'idempotency-key': m.payload.id,
      'x-ringguard-event': m.payload.event,
    };
    if (cfg.secret) headers['x-ringguard-signature'] = signature(cfg.secret, raw);
    return request({ url: cfg.url, body: raw, headers, timeoutMs: cfg.timeoutMs });
  };
}

// Email over SMTP with nodemailer: STARTTLS (required unless `starttls: false`) or implicit TLS
// (`secure`), optional auth. The message id carries the idempotency key.
import nodemailer from 'nodemailer';
import type { ReceiverConfig } from '../../../core/notify/config.js';
import { recipients } from './recipients.js';
import type { Channel, Delivery } from './types.js';

export function email(cfg: Extract<ReceiverConfig, { type: 'email' }>): Channel & { close(): void } {
  const transport = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    requireTLS: !cfg.secure && cfg.starttls,
    ignoreTLS: !cfg.secure && !cfg.starttls,
    auth: cfg.user ? { user: cfg.user, pass: cfg.pass ?? '' } : undefined,
    tls: { rejectUnauthorized: cfg.tlsRejectUnauthorized },
    connectionTimeout: cfg.timeoutMs,
    greetingTimeout: cfg.timeoutMs,
    socketTimeout: cfg.timeoutMs * 2,
  });
  const send = async (m: Parameters<Channel>[0]): Promise<Delivery> => {
    const to = recipients(cfg.to, cfg.roster, m.onDuty, (p) => p.email);
    if (!to.length)
      return {
        ok: false,
        status: null,
        error: 'no recipients (set `to`, or email addresses for the people on duty)',
        permanent: true,
      };
    try {
      const info = await transport.sendMail({
        from: cfg.from,
        to,
        subject: m.subject,
        text: m.payload.text,
        messageId: `<${m.payload.id}@ringguard>`,
        headers: { 'X-Ringguard-Id': m.payload.id, 'X-Ringguard-Event': m.payload.event },
      });
      const code = Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1] ?? 250);
      return { ok: true, status: code, error: null };
    } catch (e) {
      const err = e as Error & { responseCode?: number; code?: string };
      return { ok: false, status: err.responseCode ?? null, error: `${err.code ?? 'SMTP'}: ${err.message}` };
    }
  };
  return Object.assign(send, { close: () => transport.close() });
}

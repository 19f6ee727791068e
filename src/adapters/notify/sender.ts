// Delivers the outbox: each receiver's messages in order, receivers independently (a failing
// one never holds up the others), retries with exponential backoff, every attempt recorded
// and counted (`ringguard_notifications_total{channel,outcome}`).
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Channel, Delivery, Outgoing } from './channels/types.js';
import type { MessageRow, Outbox } from './outbox.js';

export interface RetryOptions {
  initialMs: number;
  maxMs: number;
  /** 0: until delivered. */
  maxAttempts: number;
}

/** A message's delivery ended: sent, or given up. */
export type Settled = (m: MessageRow, d: Delivery) => void;

export const backoff = (r: RetryOptions, attempt: number) =>
  Math.min(r.maxMs, r.initialMs * 2 ** Math.max(0, attempt - 1));

export class Sender {
  private readonly busy = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly counter: Counter<'channel' | 'outcome'>;

  constructor(
    private readonly outbox: Outbox,
    private readonly channels: Map<string, { type: string; send: Channel }>,
    private readonly retry: RetryOptions,
    registry: Registry,
    private readonly logger?: Logger,
    private readonly clock: () => number = Date.now,
    private readonly onSettled?: Settled,
  ) {
    this.counter =
      (registry.getSingleMetric('ringguard_notifications_total') as Counter<'channel' | 'outcome'> | undefined) ??
      new Counter({
        name: 'ringguard_notifications_total',
        help: 'notification delivery attempts, by channel and outcome (sent, failed, gave-up)',
        labelNames: ['channel', 'outcome'],
        registers: [registry],
      });
  }

  /** Starts a worker for every receiver whose oldest message is due; arms a timer for the rest. */
  kick(): void {
    if (this.stopped) return;
    const now = this.clock();
    let next = Infinity;
    for (const head of this.outbox.heads()) {
      if (this.busy.has(head.receiver)) continue;
      if (head.nextAt <= now) this.start(head.receiver);
      else next = Math.min(next, head.nextAt);
    }
    this.arm(next);
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (at === Infinity || this.stopped) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, at - this.clock()));
    this.timer.unref?.();
  }

  private start(receiver: string): void {
    const run = this.drain(receiver)
      .catch((e) => this.logger?.error({ err: e, receiver }, 'notification sender failed'))
      .finally(() => {
        this.busy.delete(receiver);
        this.kick();
      });
    this.busy.set(receiver, run);
  }

  private async drain(receiver: string): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const m = this.outbox.head(receiver);
      if (!m || m.nextAt > this.clock()) return;
      await this.attempt(m);
    }
  }

  private async attempt(m: MessageRow): Promise<void> {
    const ch = this.channels.get(m.receiver);
    const d: Delivery = ch
      ? await ch.send(JSON.parse(m.body) as Outgoing)
      : { ok: false, status: null, error: `receiver "${m.receiver}" is not configured`, permanent: true };
    if (this.stopped && !this.outbox.db.open) return;
    const at = this.clock();
    const tries = m.attempts + 1;
    const giveUp = !d.ok && (d.permanent || (this.retry.maxAttempts > 0 && tries >= this.retry.maxAttempts));
    const state = d.ok ? 'sent' : giveUp ? 'failed' : 'pending';
    this.outbox.record(m.id, {
      at,
      ok: d.ok,
      status: d.status,
      error: d.error,
      state,
      nextAt: state === 'pending' ? at + backoff(this.retry, tries) : at,
    });
    this.counter.inc({ channel: m.channel, outcome: d.ok ? 'sent' : 'failed' });
    if (giveUp) this.counter.inc({ channel: m.channel, outcome: 'gave-up' });
    if (d.ok || giveUp) this.onSettled?.(m, d);
    const log = { notification: m.id, receiver: m.receiver, event: m.event, attempt: tries, status: d.status };
    if (d.ok) this.logger?.info(log, 'notification sent');
    else
      this.logger?.warn(
        { ...log, error: d.error, giveUp },
        giveUp ? 'notification given up' : 'notification failed, will retry',
      );
  }

  /** Stops starting attempts and waits (bounded) for those in flight. */
  async stop(waitMs = 5000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.race([
      Promise.allSettled([...this.busy.values()]),
      new Promise((r) => setTimeout(r, waitMs).unref?.()),
    ]);
  }
}

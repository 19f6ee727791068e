// Coalesces pipeline outputs into one write (newest view per id, in first-seen order), flushed
// at most `delayMs` after the first output of a batch, or on demand. Under an alarm storm this
// turns thousands of one-row transactions into a few large ones.
// A write that fails because the database is busy (another process holds the lock) or full is
// kept and retried with backoff (50 ms doubling to 5 s); new outputs are merged into it, so
// intake never waits on the disk. `backlog` says how much is unwritten (the caller bounds it).
import type { Logger } from 'pino';
import type { Output } from './pipeline.js';

const RETRYABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)/;

export class BatchWriter {
  private pending: Output[] = [];
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  /** The merged batch whose write failed, retried with the next flush. */
  private unwritten: Output | null = null;
  private backoffMs = 0;
  /** The last write error while writes fail (health). */
  failing: string | null = null;
  readonly stats = { failures: 0 };

  constructor(
    private readonly write: (o: Output) => void,
    private readonly delayMs = 20,
    private readonly logger?: Logger,
  ) {}

  add(o: Output): void {
    this.pending.push(o);
    this.poke();
  }

  /** Schedules a write even with no output (the write also persists other state). */
  poke(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      this.timer = setTimeout(() => this.flush(), this.backoffMs || this.delayMs);
    }
  }

  /** Entities waiting to be written (alarms, incidents, circuits, tickets). */
  get backlog(): number {
    const u = this.unwritten;
    return u ? u.alarms.length + u.incidents.length + u.circuits.length + u.tickets.length : 0;
  }

  /** Flushes now and passes `value` through (for commands whose effect must be readable at once). */
  after<T>(value: T): T {
    this.flush();
    return value;
  }

  /**
   * Whether the database takes writes now: while writes fail, the kept batch is retried at once
   * (the disk may be back) instead of waiting for the backoff.
   */
  writable(): boolean {
    if (this.failing) this.flush();
    return !this.failing;
  }

  flush(): void {
    this.scheduled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.unwritten ? [this.unwritten, ...this.pending] : this.pending;
    this.pending = [];
    const o = batch.length === 1 ? batch[0] : merge(batch);
    try {
      this.write(o);
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (!RETRYABLE.test(code)) throw e;
      this.retryLater(o, e as Error);
      return;
    }
    if (this.failing)
      this.logger?.info({ after: this.stats.failures }, 'database writable again: the kept batch is written');
    this.unwritten = null;
    this.failing = null;
    this.backoffMs = 0;
  }

  private retryLater(o: Output, e: Error): void {
    this.stats.failures++;
    this.unwritten = o;
    if (!this.failing)
      this.logger?.error({ err: e }, 'database write failed: intake goes on in memory, retrying with backoff');
    this.failing = `${(e as { code?: string }).code}: ${e.message}`;
    this.backoffMs = Math.min(5000, Math.max(50, this.backoffMs * 2));
    this.poke();
  }
}
export function merge(list: Output[]): Output {
  const latest = <T extends { id: string }>(pick: (o: Output) => T[]): T[] => {
    const m = new Map<string, T>();
    for (const o of list)
      for (const x of pick(o)) {
        m.delete(x.id);
        m.set(x.id, x);
      }
    return [...m.values()];
  };
  return {
    at: list.length ? list[list.length - 1].at : 0,
    alarms: latest((o) => o.alarms),
    incidents: latest((o) => o.incidents),
    circuits: latest((o) => o.circuits),
    // Tickets in seq order: the feed relies on it.
    tickets: latest((o) => o.tickets).sort((a, b) => a.seq - b.seq),
    restarts: list.flatMap((o) => o.restarts),
    windows: latest((o) => o.windows ?? []),
    // The newest change per held clear's key.
    heldClears: [...new Map(list.flatMap((o) => o.heldClears ?? []).map((h) => [h.key, h] as const)).values()],
  };
}

// Between the receiver thread and the ingest queue: every decoded event is first written to the
// intake journal in SQLite (group commit: one transaction for what arrived within `delayMs`),
// and only then are its INFORMs answered and the events queued. The journal row is deleted in
// the same transaction that stores what the pipeline made of the event (BatchWriter), so after
// a crash the rows still there are exactly the events to process again: an answered INFORM is
// never lost. When the journal cannot be written (disk busy or full), intake goes on in memory
// and INFORMs stay unanswered (their senders retry); beyond `maxUnwritten` events refused.
import type { Logger } from 'pino';
import type { IngestEvent } from '../core/alarms/events.js';

export interface Journal {
  /** Writes the events in one transaction; returns their row numbers. */
  journal(events: IngestEvent[]): number[];
}

export interface Queued {
  ev: IngestEvent;
  /** Intake journal row, 0 when not journalled. */
  n: number;
  /** A notification (from the receiver), not a poll result. */
  trap?: boolean;
}

interface Arrival {
  events: IngestEvent[];
  answer: () => void;
}

export class Intake {
  private pending: Arrival[] = [];
  private timer: NodeJS.Timeout | null = null;
  readonly stats = { journalled: 0, unjournalled: 0, commits: 0, failures: 0, refused: 0 };
  /** When the journal last failed (health shows it for a while). */
  failedAt = 0;
  /** While the journal fails, the next attempt is not before this time (backoff). */
  private retryAt = 0;
  private backoffMs = 0;
  /** Last journal write failed (health). */
  failing: string | null = null;

  constructor(
    private readonly store: Journal,
    private readonly enqueue: (q: Queued) => void,
    private readonly logger?: Logger,
    private readonly overloaded: () => boolean = () => false,
    private readonly delayMs = 2,
  ) {}

  /** Events decoded together, and how to answer their INFORMs once they are durable. */
  accept(events: IngestEvent[], answer: () => void): void {
    if (this.overloaded()) {
      // The unwritten backlog is at its bound (disk trouble): refuse rather than grow.
      if (!this.stats.refused)
        this.logger?.error(
          'refusing notifications: the database has been unwritable too long and the unwritten backlog is full',
        );
      this.stats.refused += events.length;
      return;
    }
    this.pending.push({ events, answer });
    this.timer ??= setTimeout(() => this.commit(), this.delayMs);
  }

  /** Writes everything pending now (also at shutdown). */
  commit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    const events = batch.flatMap((a) => a.events);
    let rows: number[] | null = null;
    if (!this.failing || Date.now() >= this.retryAt) {
      try {
        rows = this.store.journal(events);
        this.stats.commits++;
        this.stats.journalled += events.length;
        if (this.failing) this.logger?.info('intake journal writable again');
        this.failing = null;
        this.backoffMs = 0;
      } catch (e) {
        this.stats.failures++;
        this.failedAt = Date.now();
        if (!this.failing)
          this.logger?.error(
            { err: e },
            'intake journal not writable: events go on in memory, INFORMs are not answered until it is',
          );
        this.failing = (e as Error).message;
        this.backoffMs = Math.min(5000, Math.max(50, this.backoffMs * 2));
        this.retryAt = Date.now() + this.backoffMs;
      }
    }
    if (!rows) this.stats.unjournalled += events.length;
    events.forEach((ev, i) => this.enqueue({ ev, n: rows ? rows[i] : 0, trap: true }));
    if (rows) for (const a of batch) a.answer();
  }
}

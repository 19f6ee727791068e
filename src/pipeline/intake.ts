// Between the receiver thread and the ingest queue: every decoded event is first written to the
// intake journal in SQLite (group commit: one transaction for what arrived within `delayMs`),
// and only then are its INFORMs answered and the events queued. The journal row is deleted in
// the same transaction that stores what the pipeline made of the event (BatchWriter), so after
// a crash the rows still there are exactly the events to process again: an answered INFORM is
// never lost. When the journal cannot be written (disk busy or full), intake goes on in memory
// and INFORMs stay unanswered (their senders retry); beyond `maxUnwritten` events refused.
import type { Logger } from 'pino';
import type { IngestEvent } from '../adapters/snmp/mapping.js';

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
  readonly stats = { journalled: 0, unjournalled: 0, commits: 0, failures: 0 };
  /** Last journal write failed (health). */
  failing: string | null = null;

  constructor(
    private readonly store: Journal,
    private readonly enqueue: (q: Queued) => void,
    private readonly logger?: Logger,
    private readonly delayMs = 2,
  ) {}

  /** Events decoded together, and how to answer their INFORMs once they are durable. */
  accept(events: IngestEvent[], answer: () => void): void {
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
    try {
      rows = this.store.journal(events);
      this.stats.commits++;
      this.stats.journalled += events.length;
      if (this.failing) this.logger?.info('intake journal writable again');
      this.failing = null;
    } catch (e) {
      this.stats.failures++;
      this.stats.unjournalled += events.length;
      if (!this.failing) this.logger?.error({ err: e }, 'intake journal not writable: events go on in memory, INFORMs are not answered until it is');
      this.failing = (e as Error).message;
    }
    events.forEach((ev, i) => this.enqueue({ ev, n: rows ? rows[i] : 0, trap: true }));
    if (rows) for (const a of batch) a.answer();
  }
}

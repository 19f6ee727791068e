// Notifications naming an NE that is not in the topology (contract 2 §8). They are kept out of
// correlation (so 2,000 made-up names cannot open 2,000 incidents and tickets: they open none),
// aggregated per sender, persisted, listed at GET /api/v1/unknown-senders, counted, and logged
// at most once a minute.
import type { Logger } from 'pino';
import type { CanonicalEvent } from '../core/alarms/events.js';

export interface UnknownSender {
  sender: string;
  address: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export class UnknownSenders {
  private readonly rows = new Map<string, UnknownSender>();
  private readonly dirty = new Set<string>();
  /** Notifications from unknown senders since start. */
  notifications = 0;
  private lastLog = -Infinity;
  private sinceLog = { notifications: 0, senders: new Set<string>() };

  constructor(
    private readonly known: (node: string) => boolean,
    saved: UnknownSender[],
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {
    for (const r of saved) this.rows.set(r.sender, r);
  }

  /** True when the event is about a known NE (it goes on to correlation); else it is recorded here. */
  admit(ev: CanonicalEvent): boolean {
    if (this.known(ev.node)) return true;
    const at = new Date(ev.receivedAt ?? this.now()).toISOString();
    const row = this.rows.get(ev.node);
    const address = ev.address ?? '';
    if (row) {
      row.count++;
      row.lastSeen = at;
      if (address) row.address = address;
    } else this.rows.set(ev.node, { sender: ev.node, address, count: 1, firstSeen: at, lastSeen: at });
    this.dirty.add(ev.node);
    this.notifications++;
    this.log(ev.node);
    return false;
  }

  /** Rows changed since the last `written()` (to persist). */
  changed(): UnknownSender[] {
    return [...this.dirty].map((s) => ({ ...this.rows.get(s)! }));
  }

  /** The changed rows are in the database. */
  written(): void {
    this.dirty.clear();
  }

  list(): UnknownSender[] {
    return [...this.rows.values()].sort((a, b) =>
      a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : a.sender.localeCompare(b.sender),
    );
  }

  get size(): number {
    return this.rows.size;
  }

  private log(sender: string): void {
    this.sinceLog.notifications++;
    this.sinceLog.senders.add(sender);
    const t = this.now();
    if (t - this.lastLog < 60_000) return;
    this.lastLog = t;
    const senders = [...this.sinceLog.senders];
    this.logger?.warn(
      { senders: senders.slice(0, 10), newOrActive: senders.length, notifications: this.sinceLog.notifications },
      'notifications from NEs not in the topology: listed at /api/v1/unknown-senders, not correlated',
    );
    this.sinceLog = { notifications: 0, senders: new Set() };
  }
}

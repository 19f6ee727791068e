// The notification outbox in SQLite. Tells wait in `notify_pending` for their receiver's group
// window; a closed window becomes one row in `notify_messages` (its id is the idempotency key);
// every delivery attempt is a row in `notify_attempts`. The ticket memories (who was told) are
// written in the same transaction as the ticket change that caused them (Store.writeBatch).
import type Database from 'better-sqlite3';
import type { Pending } from '../../core/notify/notifier.js';
import type { TicketEvent, TicketMemory } from '../../core/notify/whom.js';

type DB = Database.Database;

export function migrateNotify(db: DB): void {
  db.exec(`
    CREATE TABLE notify_memory (ticket_id TEXT PRIMARY KEY, body TEXT NOT NULL);
    CREATE TABLE notify_pending (n INTEGER PRIMARY KEY AUTOINCREMENT, receiver TEXT NOT NULL, ticket_id TEXT NOT NULL,
      event TEXT NOT NULL, level INTEGER NOT NULL, due INTEGER NOT NULL, body TEXT NOT NULL);
    CREATE INDEX notify_pending_receiver ON notify_pending(receiver, n);
    CREATE TABLE notify_messages (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, receiver TEXT NOT NULL,
      channel TEXT NOT NULL, event TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      next_at INTEGER NOT NULL, created_at INTEGER NOT NULL, body TEXT NOT NULL);
    CREATE INDEX notify_messages_pending ON notify_messages(state, receiver, n);
    CREATE TABLE notify_message_tickets (ticket_id TEXT NOT NULL, message_id TEXT NOT NULL, PRIMARY KEY (ticket_id, message_id));
    CREATE TABLE notify_attempts (n INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL, at INTEGER NOT NULL,
      outcome TEXT NOT NULL, status INTEGER, error TEXT);
    CREATE INDEX notify_attempts_message ON notify_attempts(message_id, n);
  `);
}

/** What one ticket change adds to the outbox (written with the ticket). */
export interface NotifyWrite {
  memory: TicketMemory[];
  pending: Array<Pending<unknown>>;
}

export interface HeldRow {
  ticketId: string;
  event: TicketEvent;
  level: number;
  ticket: unknown;
}

export interface MessageRow {
  n: number;
  id: string;
  receiver: string;
  channel: string;
  event: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAt: number;
  createdAt: number;
  body: string;
}

export interface AttemptView {
  notification: string;
  receiver: string;
  channel: string;
  event: string;
  attempt: number;
  at: string | null;
  outcome: 'queued' | 'sent' | 'failed';
  status: number | null;
  error: string | null;
  nextAttemptAt: string | null;
}

export class Outbox {
  private readonly st;

  constructor(readonly db: DB) {
    this.st = {
      upMemory: db.prepare(
        `INSERT INTO notify_memory (ticket_id, body) VALUES (?, ?) ON CONFLICT(ticket_id) DO UPDATE SET body = excluded.body`,
      ),
      delMemory: db.prepare(`DELETE FROM notify_memory WHERE ticket_id = ?`),
      addPending: db.prepare(
        `INSERT INTO notify_pending (receiver, ticket_id, event, level, due, body) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      pendingOf: db.prepare(
        `SELECT n, ticket_id ticketId, event, level, body FROM notify_pending WHERE receiver = ? AND due <= ? ORDER BY n`,
      ),
      delPendingUpTo: db.prepare(`DELETE FROM notify_pending WHERE receiver = ? AND n <= ?`),
      addMessage: db.prepare(
        `INSERT INTO notify_messages (id, receiver, channel, event, state, next_at, created_at, body) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
      ),
      addMessageTicket: db.prepare(
        `INSERT OR IGNORE INTO notify_message_tickets (ticket_id, message_id) VALUES (?, ?)`,
      ),
      heads:
        db.prepare(`SELECT m.n, m.id, m.receiver, m.channel, m.event, m.state, m.attempts, m.next_at nextAt, m.created_at createdAt, m.body
        FROM notify_messages m JOIN (SELECT MIN(n) n FROM notify_messages WHERE state = 'pending' GROUP BY receiver) h ON h.n = m.n`),
      head: db.prepare(`SELECT n, id, receiver, channel, event, state, attempts, next_at nextAt, created_at createdAt, body
        FROM notify_messages WHERE state = 'pending' AND receiver = ? ORDER BY n LIMIT 1`),
      settle: db.prepare(`UPDATE notify_messages SET state = ?, attempts = attempts + 1, next_at = ? WHERE id = ?`),
      addAttempt: db.prepare(
        `INSERT INTO notify_attempts (message_id, at, outcome, status, error) VALUES (?, ?, ?, ?, ?)`,
      ),
      ofTicket:
        db.prepare(`SELECT m.id, m.receiver, m.channel, m.event, m.state, m.next_at nextAt, a.n an, a.at, a.outcome, a.status, a.error
        FROM notify_message_tickets mt JOIN notify_messages m ON m.id = mt.message_id
        LEFT JOIN notify_attempts a ON a.message_id = m.id WHERE mt.ticket_id = ? ORDER BY m.n, a.n`),
    };
  }

  /** Inside the caller's transaction (Store.writeBatch). */
  write(w: NotifyWrite): void {
    for (const m of w.memory) {
      if (m.state === 'closed') this.st.delMemory.run(m.ticketId);
      else this.st.upMemory.run(m.ticketId, JSON.stringify(m));
    }
    for (const p of w.pending)
      this.st.addPending.run(p.receiver, p.ticketId, p.event, p.level, p.due, JSON.stringify(p.ticket));
  }

  memories(): TicketMemory[] {
    return (this.db.prepare(`SELECT body FROM notify_memory`).all() as Array<{ body: string }>).map((r) =>
      JSON.parse(r.body),
    );
  }

  windows(): Array<{ receiver: string; due: number }> {
    return this.db.prepare(`SELECT receiver, MIN(due) due FROM notify_pending GROUP BY receiver`).all() as Array<{
      receiver: string;
      due: number;
    }>;
  }

  /** Takes the tells of a closed window out of `notify_pending` (call inside a transaction). */
  takePending(receiver: string, now: number): HeldRow[] {
    const rows = this.st.pendingOf.all(receiver, now) as Array<{
      n: number;
      ticketId: string;
      event: TicketEvent;
      level: number;
      body: string;
    }>;
    if (rows.length) this.st.delPendingUpTo.run(receiver, rows[rows.length - 1].n);
    return rows.map((r) => ({ ticketId: r.ticketId, event: r.event, level: r.level, ticket: JSON.parse(r.body) }));
  }

  addMessage(m: {
    id: string;
    receiver: string;
    channel: string;
    event: string;
    at: number;
    body: unknown;
    tickets: string[];
  }): void {
    this.st.addMessage.run(m.id, m.receiver, m.channel, m.event, m.at, m.at, JSON.stringify(m.body));
    for (const t of m.tickets) this.st.addMessageTicket.run(t, m.id);
  }

  /** The oldest undelivered message of every receiver (each receiver's queue is delivered in order). */
  heads(): MessageRow[] {
    return this.st.heads.all() as MessageRow[];
  }
  head(receiver: string): MessageRow | undefined {
    return this.st.head.get(receiver) as MessageRow | undefined;
  }

  /** Records one attempt and the message's new state in one transaction. */
  readonly record = (
    id: string,
    a: {
      at: number;
      ok: boolean;
      status: number | null;
      error: string | null;
      state: MessageRow['state'];
      nextAt: number;
    },
  ): void => {
    this.db.transaction(() => {
      this.st.addAttempt.run(id, a.at, a.ok ? 'sent' : 'failed', a.status, a.error);
      this.st.settle.run(a.state, a.nextAt, id);
    })();
  };

  /** Every message about a ticket with its attempts; a message not tried yet is one `queued` row. */
  ofTicket(ticketId: string): AttemptView[] {
    const rows = this.st.ofTicket.all(ticketId) as Array<{
      id: string;
      receiver: string;
      channel: string;
      event: string;
      state: string;
      nextAt: number;
      an: number | null;
      at: number | null;
      outcome: 'sent' | 'failed' | null;
      status: number | null;
      error: string | null;
    }>;
    const out: AttemptView[] = [];
    const tries = new Map<string, number>();
    rows.forEach((r, i) => {
      const n = (tries.get(r.id) ?? 0) + (r.an == null ? 0 : 1);
      tries.set(r.id, n);
      const last = r.an != null && rows[i + 1]?.id !== r.id;
      out.push({
        notification: r.id,
        receiver: r.receiver,
        channel: r.channel,
        event: r.event,
        attempt: n,
        at: r.at == null ? null : new Date(r.at).toISOString(),
        outcome: r.outcome ?? 'queued',
        status: r.status,
        error: r.error,
        nextAttemptAt: r.state === 'pending' && (r.an == null || last) ? new Date(r.nextAt).toISOString() : null,
      });
    });
    return out;
  }
}

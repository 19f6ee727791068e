// SQLite store (better-sqlite3 12.x): versioned migrations, WAL, prepared statements,
// batched writes. Entities are kept as JSON bodies beside the columns that are queried.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MaintenanceView } from '../../core/maintenance/window.js';
import type { AlarmView, CircuitView, IncidentView, TicketView } from '../../core/model.js';
import type { HeldClear, HeldClearChange } from '../../core/alarms/ledger.js';
import { migrateNotify, Outbox, type NotifyWrite } from '../notify/outbox.js';

type DB = Database.Database;

const MIGRATIONS: Array<(db: DB) => void> = [
  (db) =>
    db.exec(`
    CREATE TABLE alarms (
      n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, node TEXT NOT NULL, type TEXT NOT NULL,
      state TEXT NOT NULL, incident_id TEXT, body TEXT NOT NULL);
    CREATE INDEX alarms_state ON alarms(state, n);
    CREATE INDEX alarms_node ON alarms(node, n);
    CREATE INDEX alarms_incident ON alarms(incident_id);
    CREATE TABLE incidents (
      n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, state TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);
    CREATE INDEX incidents_state ON incidents(state, n);
    CREATE TABLE circuits (id TEXT PRIMARY KEY, state TEXT NOT NULL, body TEXT NOT NULL);
    CREATE TABLE tickets (
      n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, incident_id TEXT NOT NULL, seq INTEGER NOT NULL,
      state TEXT NOT NULL, body TEXT NOT NULL);
    CREATE INDEX tickets_seq ON tickets(seq);
  `),
  (db) =>
    db.exec(`
    CREATE TABLE restarts (n INTEGER PRIMARY KEY AUTOINCREMENT, node TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL);
    CREATE INDEX restarts_node ON restarts(node, n);
  `),
  migrateNotify,
  (db) =>
    db.exec(`
    CREATE TABLE unknown_senders (sender TEXT PRIMARY KEY, body TEXT NOT NULL);
  `),
  // Incidents merged into another (partial readings of one fault): a column, indexed.
  (db) =>
    db.exec(`
    ALTER TABLE incidents ADD COLUMN merged_into TEXT;
    UPDATE incidents SET merged_into = COALESCE(json_extract(body, '$.mergedInto'), json_extract(body, '$.detail.mergedInto'));
    CREATE INDEX incidents_live ON incidents(merged_into, state, n);
  `),
  (db) =>
    db.exec(`
    CREATE TABLE intake (n INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
  `),
  // Ticket list filters and time ranges (contract 2 §7): columns read from the JSON body, indexed.
  (db) =>
    db.exec(`
    ALTER TABLE tickets ADD COLUMN created_at TEXT GENERATED ALWAYS AS (json_extract(body, '$.createdAt')) VIRTUAL;
    ALTER TABLE tickets ADD COLUMN priority TEXT GENERATED ALWAYS AS (json_extract(body, '$.priority')) VIRTUAL;
    ALTER TABLE tickets ADD COLUMN kind TEXT GENERATED ALWAYS AS (json_extract(body, '$.kind')) VIRTUAL;
    CREATE INDEX tickets_created ON tickets(created_at);
    CREATE INDEX tickets_state ON tickets(state, n);
    ALTER TABLE alarms ADD COLUMN raised_at TEXT GENERATED ALWAYS AS (json_extract(body, '$.raisedAt')) VIRTUAL;
    CREATE INDEX alarms_raised ON alarms(raised_at);
  `),
  // Planned-works windows (contract 2 §8): times as ms, queried by state at a given time.
  (db) =>
    db.exec(`
    CREATE TABLE maintenance (
      n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL,
      ended_ms INTEGER, reference TEXT, body TEXT NOT NULL);
    CREATE INDEX maintenance_live ON maintenance(ended_ms, to_ms);
    CREATE INDEX maintenance_reference ON maintenance(reference);
  `),
  // Clears that overtook their raise, kept until the raise comes (a restart keeps them).
  (db) =>
    db.exec(`
    CREATE TABLE held_clears (key TEXT PRIMARY KEY, until_ms INTEGER NOT NULL, body TEXT NOT NULL);
  `),
];

export const SCHEMA_VERSION = MIGRATIONS.length;

const numOf = (id: string) => Number(id.slice(id.lastIndexOf('-') + 1));

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

export interface AlarmFilter {
  state?: 'active' | 'cleared' | 'all';
  node?: string;
  type?: string;
  /** raisedAt range, ISO: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: number;
}

export interface TicketFilter {
  state?: string;
  priority?: string;
  kind?: string;
  /** A customer among the ticket's customers (exact name). */
  customer?: string;
  /** createdAt range, ISO: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: number;
}

type Where = { where: string[]; args: unknown[] };

export interface WriteBatch {
  alarms?: Iterable<AlarmView>;
  incidents?: Iterable<IncidentView>;
  circuits?: Iterable<CircuitView>;
  tickets?: Iterable<TicketView>;
  restarts?: Iterable<{ node: string; reason: string; at: number }>;
  windows?: Iterable<MaintenanceView>;
  /** Outbox rows caused by these ticket changes (same transaction). */
  notify?: NotifyWrite;
  unknownSenders?: Iterable<{ sender: string }>;
  /** Intake journal rows up to this one are processed (their results are in this batch). */
  intakeDone?: number;
  /** Clears held for their raise: kept (`held`) or done with (`held: null`). */
  heldClears?: Iterable<HeldClearChange>;
}

export class Store {
  readonly db: DB;
  private readonly st: ReturnType<Store['prepare']>;
  readonly writeBatch: (b: WriteBatch) => void;
  readonly outbox: Outbox;

  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    // A lock held by another process is waited for at most 100 ms, then the write is retried
    // later (BatchWriter, Intake): the main thread never blocks on the disk for long.
    const fresh = file === ':memory:' || !existsSync(file);
    this.db = new Database(file, { timeout: 100 });
    // Only its owner reads the database (tickets, customers, notes): created 0600.
    if (fresh && file !== ':memory:') chmodSync(file, 0o600);
    this.refuseForeign();
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    this.st = this.prepare();
    this.outbox = new Outbox(this.db);
    this.writeBatch = this.db.transaction((b: WriteBatch) => this.applyBatch(b));
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** A database of a newer ringguard, or another program's SQLite file, is not touched. */
  private refuseForeign(): void {
    let version: number;
    let tables: string[];
    try {
      version = this.schemaVersion;
      tables = (
        this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>
      ).map((r) => r.name);
    } catch (e) {
      this.db.close();
      throw new Error(`${this.file}: not a SQLite database (${(e as Error).message})`);
    }
    const problem =
      version > MIGRATIONS.length
        ? `schema version ${version} is newer than this ringguard's (${MIGRATIONS.length}); use a newer ringguard or another --db`
        : version === 0 && tables.length > 0
          ? `not a ringguard database (it has tables: ${tables.slice(0, 5).join(', ')}); use another --db`
          : null;
    if (problem) {
      this.db.close();
      throw new Error(`${this.file}: ${problem}`);
    }
  }

  private migrate(): void {
    const current = this.schemaVersion;
    for (let v = current; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        MIGRATIONS[v](this.db);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      upAlarm: db.prepare(`INSERT INTO alarms (n, id, node, type, state, incident_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET state = excluded.state, incident_id = excluded.incident_id, body = excluded.body`),
      upIncident: db.prepare(`INSERT INTO incidents (n, id, state, kind, merged_into, body) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET state = excluded.state, kind = excluded.kind, merged_into = excluded.merged_into, body = excluded.body`),
      upCircuit: db.prepare(`INSERT INTO circuits (id, state, body) VALUES (?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET state = excluded.state, body = excluded.body`),
      upTicket: db.prepare(`INSERT INTO tickets (n, id, incident_id, seq, state, body) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, state = excluded.state, body = excluded.body`),
      addRestart: db.prepare(`INSERT INTO restarts (node, reason, at) VALUES (?, ?, ?)`),
      intakeAdd: db.prepare(`INSERT INTO intake (body) VALUES (?)`),
      intakeDone: db.prepare(`DELETE FROM intake WHERE n <= ?`),
      upHeld: db.prepare(`INSERT INTO held_clears (key, until_ms, body) VALUES (?, ?, ?)
        ON CONFLICT(key) DO UPDATE SET until_ms = excluded.until_ms, body = excluded.body`),
      delHeld: db.prepare(`DELETE FROM held_clears WHERE key = ?`),
      upUnknown: db.prepare(
        `INSERT INTO unknown_senders (sender, body) VALUES (?, ?) ON CONFLICT(sender) DO UPDATE SET body = excluded.body`,
      ),
      incident: db.prepare(`SELECT body FROM incidents WHERE id = ?`),
      incidentAlarms: db.prepare(`SELECT body FROM alarms WHERE incident_id = ? ORDER BY n`),
      ticket: db.prepare(`SELECT body FROM tickets WHERE id = ?`),
      ticketsSince: db.prepare(`SELECT body FROM tickets WHERE seq > ? ORDER BY seq LIMIT ?`),
      circuit: db.prepare(`SELECT body FROM circuits WHERE id = ?`),
    };
  }

  private applyBatch(b: WriteBatch): void {
    for (const a of b.alarms ?? []) {
      this.st.upAlarm.run(numOf(a.id), a.id, a.node, a.type, a.state, a.incidentId, JSON.stringify(a));
    }
    for (const i of b.incidents ?? []) {
      this.st.upIncident.run(numOf(i.id), i.id, i.state, i.kind, i.mergedInto ?? null, JSON.stringify(i));
    }
    for (const c of b.circuits ?? []) this.st.upCircuit.run(c.id, c.state, JSON.stringify(c));
    for (const t of b.tickets ?? []) {
      this.st.upTicket.run(numOf(t.id), t.id, t.incidentId, t.seq, t.state, JSON.stringify(t));
    }
    for (const r of b.restarts ?? []) this.st.addRestart.run(r.node, r.reason, r.at);
    if (b.windows) this.writeWindows(b.windows);
    if (b.notify) this.outbox.write(b.notify);
    for (const u of b.unknownSenders ?? []) this.st.upUnknown.run(u.sender, JSON.stringify(u));
    if (b.intakeDone) this.st.intakeDone.run(b.intakeDone);
    for (const h of b.heldClears ?? []) {
      if (h.held) this.st.upHeld.run(h.key, h.held.until, JSON.stringify(h.held));
      else this.st.delHeld.run(h.key);
    }
  }

  private writeWindows(ws: Iterable<MaintenanceView>): void {
    const st = this.db
      .prepare(`INSERT INTO maintenance (n, id, from_ms, to_ms, ended_ms, reference, body) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET ended_ms = excluded.ended_ms, body = excluded.body`);
    for (const w of ws) {
      st.run(
        numOf(w.id),
        w.id,
        Date.parse(w.from),
        Date.parse(w.to),
        w.endedAt ? Date.parse(w.endedAt) : null,
        w.reference,
        JSON.stringify(w),
      );
    }
  }

  getWindow(id: string): MaintenanceView | undefined {
    const r = this.db.prepare(`SELECT body FROM maintenance WHERE id = ?`).get(id) as { body: string } | undefined;
    return r ? JSON.parse(r.body) : undefined;
  }

  /** A window from the works file already stored under this reference. */
  windowByReference(reference: string): MaintenanceView | undefined {
    const r = this.db
      .prepare(`SELECT body FROM maintenance WHERE reference = ? ORDER BY n DESC LIMIT 1`)
      .get(reference) as { body: string } | undefined;
    return r ? JSON.parse(r.body) : undefined;
  }

  /** Windows by their state at `now`, newest first. */
  listWindows(f: {
    state?: 'scheduled' | 'active' | 'ended';
    now: number;
    limit: number;
    cursor?: number;
  }): Page<MaintenanceView> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.state === 'scheduled') {
      where.push('ended_ms IS NULL AND from_ms > ?');
      args.push(f.now);
    }
    if (f.state === 'active') {
      where.push('ended_ms IS NULL AND from_ms <= ? AND to_ms > ?');
      args.push(f.now, f.now);
    }
    if (f.state === 'ended') {
      where.push('(ended_ms IS NOT NULL OR to_ms <= ?)');
      args.push(f.now);
    }
    if (f.cursor != null) {
      where.push('n < ?');
      args.push(f.cursor);
    }
    return this.page<MaintenanceView>('maintenance', where, args, f.limit);
  }

  /** Windows not ended (to restore the engine) and the highest number used. */
  liveWindows(): { windows: MaintenanceView[]; max: number } {
    const rows = this.db.prepare(`SELECT body FROM maintenance WHERE ended_ms IS NULL ORDER BY n`).all() as Array<{
      body: string;
    }>;
    const max = (this.db.prepare('SELECT MAX(n) m FROM maintenance').get() as { m: number | null }).m ?? 0;
    return { windows: rows.map((r) => JSON.parse(r.body)), max };
  }

  listAlarms(f: AlarmFilter): Page<AlarmView> {
    const { where, args } = alarmWhere(f);
    if (f.cursor != null) {
      where.push('n < ?');
      args.push(f.cursor);
    }
    return this.page<AlarmView>('alarms', where, args, f.limit);
  }

  /** Tickets by state, priority, kind, customer and creation time, newest first. */
  listTickets(f: TicketFilter): Page<TicketView> {
    const { where, args } = ticketWhere(f);
    if (f.cursor != null) {
      where.push('n < ?');
      args.push(f.cursor);
    }
    return this.page<TicketView>('tickets', where, args, f.limit);
  }

  /** Every row matching a filter, newest first, read as it is written out (CSV export). */
  *export<T>(table: 'alarms' | 'tickets', f: Omit<AlarmFilter, 'limit'> | Omit<TicketFilter, 'limit'>): Generator<T> {
    const { where, args } = table === 'alarms' ? alarmWhere(f as AlarmFilter) : ticketWhere(f as TicketFilter);
    const sql = `SELECT body FROM ${table} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY n DESC`;
    for (const r of this.db.prepare(sql).iterate(...args) as Iterable<{ body: string }>) yield JSON.parse(r.body) as T;
  }

  getAlarm(id: string): AlarmView | undefined {
    const r = this.db.prepare(`SELECT body FROM alarms WHERE id = ?`).get(id) as { body: string } | undefined;
    return r ? JSON.parse(r.body) : undefined;
  }

  /** Incidents merged into another (a partial reading of the same fault) are not listed. */
  listIncidents(f: { state?: 'open' | 'cleared' | 'all'; limit: number; cursor?: number }): Page<IncidentView> {
    const where: string[] = ['merged_into IS NULL'];
    const args: unknown[] = [];
    if (f.state && f.state !== 'all') {
      where.push('state = ?');
      args.push(f.state);
    }
    if (f.cursor != null) {
      where.push('n < ?');
      args.push(f.cursor);
    }
    return this.page<IncidentView>('incidents', where, args, f.limit);
  }

  /** Newest first; the cursor is the row number to continue below. */
  private page<T>(table: string, where: string[], args: unknown[], limit: number): Page<T> {
    const sql = `SELECT n, body FROM ${table} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY n DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, limit + 1) as Array<{ n: number; body: string }>;
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return {
      items: items.map((r) => JSON.parse(r.body) as T),
      cursor: more ? String(items[items.length - 1].n) : null,
    };
  }

  getIncident(id: string): IncidentView | undefined {
    const r = this.st.incident.get(id) as { body: string } | undefined;
    return r ? JSON.parse(r.body) : undefined;
  }
  alarmsOfIncident(id: string): AlarmView[] {
    return (this.st.incidentAlarms.all(id) as Array<{ body: string }>).map((r) => JSON.parse(r.body));
  }
  getTicket(id: string): TicketView | undefined {
    const r = this.st.ticket.get(id) as { body: string } | undefined;
    return r ? JSON.parse(r.body) : undefined;
  }
  ticketsSince(seq: number, limit: number): TicketView[] {
    return (this.st.ticketsSince.all(seq, limit) as Array<{ body: string }>).map((r) => JSON.parse(r.body));
  }
  getCircuit(id: string): CircuitView | undefined {
    const r = this.st.circuit.get(id) as { body: string } | undefined;
    return r ? JSON.parse(r.body) : undefined;
  }
  listCircuits(f: { state?: string; priority?: string }): CircuitView[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.state) {
      where.push('state = ?');
      args.push(f.state);
    }
    if (f.priority) {
      where.push(`json_extract(body, '$.priority') = ?`);
      args.push(f.priority);
    }
    const sql = `SELECT body FROM circuits ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id`;
    return (this.db.prepare(sql).all(...args) as Array<{ body: string }>).map((r) => JSON.parse(r.body) as CircuitView);
  }

  /** Everything needed to restore the engines after a restart. */
  loadState(): {
    alarms: AlarmView[];
    incidents: IncidentView[];
    circuits: CircuitView[];
    tickets: TicketView[];
    heldClears: HeldClear[];
  } {
    const parse = <T>(sql: string) =>
      (this.db.prepare(sql).all() as Array<{ body: string }>).map((r) => JSON.parse(r.body) as T);
    return {
      // Cleared alarms are kept for history; the engines only need those of open incidents
      // and the recently cleared ones (reopen window), which the incident bodies reference.
      alarms: parse<AlarmView>(`SELECT body FROM alarms WHERE state = 'active' OR incident_id IN
        (SELECT id FROM incidents WHERE state = 'open') OR n > (SELECT COALESCE(MAX(n), 0) - 5000 FROM alarms) ORDER BY n`),
      incidents: parse<IncidentView>(
        `SELECT body FROM incidents WHERE state = 'open' OR n > (SELECT COALESCE(MAX(n), 0) - 2000 FROM incidents) ORDER BY n`,
      ),
      circuits: parse<CircuitView>('SELECT body FROM circuits'),
      tickets: parse<TicketView>(
        `SELECT body FROM tickets WHERE state != 'closed' OR n > (SELECT COALESCE(MAX(n), 0) - 2000 FROM tickets) ORDER BY n`,
      ),
      heldClears: parse<HeldClear>('SELECT body FROM held_clears ORDER BY until_ms'),
    };
  }

  /**
   * Circuits no longer in the topology leave the circuit list (incidents and tickets that named
   * them keep doing so: they are history). Returns the ids removed.
   */
  retainCircuits(keep: ReadonlySet<string>): string[] {
    const gone = (this.db.prepare('SELECT id FROM circuits').all() as Array<{ id: string }>)
      .map((r) => r.id)
      .filter((id) => !keep.has(id));
    const del = this.db.prepare('DELETE FROM circuits WHERE id = ?');
    this.db.transaction(() => {
      for (const id of gone) del.run(id);
    })();
    return gone;
  }

  maxIds(): { alarm: number; incident: number; ticket: number; seq: number } {
    const one = (sql: string) => (this.db.prepare(sql).get() as { m: number | null }).m ?? 0;
    return {
      alarm: one('SELECT MAX(n) m FROM alarms'),
      incident: one('SELECT MAX(n) m FROM incidents'),
      ticket: one('SELECT MAX(n) m FROM tickets'),
      seq: one('SELECT MAX(seq) m FROM tickets'),
    };
  }

  /** Intake journal: decoded events, durable before their INFORMs are answered. */
  journal(events: unknown[]): number[] {
    return this.journalTx(events);
  }
  private readonly journalTx = (events: unknown[]): number[] =>
    this.db.transaction(() => events.map((e) => Number(this.st.intakeAdd.run(JSON.stringify(e)).lastInsertRowid)))();

  /** Events journalled but not processed when the service last stopped (a crash). */
  journalled<T>(): Array<{ n: number; ev: T }> {
    return (this.db.prepare('SELECT n, body FROM intake ORDER BY n').all() as Array<{ n: number; body: string }>).map(
      (r) => ({ n: r.n, ev: JSON.parse(r.body) as T }),
    );
  }

  unknownSenders<T>(): T[] {
    return (this.db.prepare('SELECT body FROM unknown_senders').all() as Array<{ body: string }>).map(
      (r) => JSON.parse(r.body) as T,
    );
  }

  restartCount(): number {
    return (this.db.prepare('SELECT COUNT(*) c FROM restarts').get() as { c: number }).c;
  }

  counts(): Record<string, number> {
    const one = (sql: string) => (this.db.prepare(sql).get() as { c: number }).c;
    return {
      alarmsActive: one(`SELECT COUNT(*) c FROM alarms WHERE state = 'active'`),
      incidentsOpen: one(`SELECT COUNT(*) c FROM incidents WHERE state = 'open'`),
    };
  }

  close(): void {
    if (this.db.open) {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
  }
}

function alarmWhere(f: Omit<AlarmFilter, 'limit'>): Where {
  const w: Where = { where: [], args: [] };
  const add = (sql: string, v: unknown) => {
    w.where.push(sql);
    w.args.push(v);
  };
  if (f.state && f.state !== 'all') add('state = ?', f.state);
  if (f.node) add('node = ?', f.node);
  if (f.type) add('type = ?', f.type);
  if (f.from) add('raised_at >= ?', f.from);
  if (f.to) add('raised_at < ?', f.to);
  return w;
}

function ticketWhere(f: Omit<TicketFilter, 'limit'>): Where {
  const w: Where = { where: [], args: [] };
  const add = (sql: string, v: unknown) => {
    w.where.push(sql);
    w.args.push(v);
  };
  if (f.state) add('state = ?', f.state);
  if (f.priority) add('priority = ?', f.priority);
  if (f.kind) add('kind = ?', f.kind);
  if (f.customer) add(`EXISTS (SELECT 1 FROM json_each(tickets.body, '$.customers') WHERE value = ?)`, f.customer);
  if (f.from) add('created_at >= ?', f.from);
  if (f.to) add('created_at < ?', f.to);
  return w;
}

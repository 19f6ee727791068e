// Notifications no mapping rule matched, kept per notification OID to help write a rule: how
// many, first and last seen, who sent them, and the varbinds of the latest one. Bounded: at most
// `max` OIDs (the least recently seen one goes), a few senders each, a short sample. The receiver
// thread fills one table per batch and posts it; the main thread merges those into the table
// `GET /api/v1/unmapped` lists. An info log line per OID at most once a minute says the same.
import type { Logger } from 'pino';
import type { Notification } from './mapping.js';

export interface SampleVarbind {
  oid: string;
  value: string;
}

export interface UnmappedNotification {
  trapOid: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Source address of the latest one. */
  sender: string;
  /** Distinct source addresses, the first few. */
  senders: string[];
  /** Varbinds of the latest one (snmpTrapOID and sysUpTime left out), values as text. */
  varbinds: SampleVarbind[];
}

const MAX_SENDERS = 5;
const MAX_VARBINDS = 32;
const MAX_VALUE_CHARS = 256;
/** sysUpTime.0 and snmpTrapOID.0: in every v2 notification, no help for a rule. */
const HEADER = new Set(['1.3.6.1.2.1.1.3.0', '1.3.6.1.6.3.1.1.4.1.0']);

/** A varbind value as text: printable strings as they are, other bytes in hex. */
export function sampleValue(v: unknown): string {
  let s: string;
  if (Buffer.isBuffer(v)) {
    const text = v.toString('utf8');
    // eslint-disable-next-line no-control-regex -- control characters mean binary: shown as hex
    s = /^[^\x00-\x08\x0e-\x1f\x7f\ufffd]*$/.test(text) ? text : `0x${v.toString('hex')}`;
  } else s = v == null ? '' : String(v);
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
}

export function sampleVarbinds(n: Notification): SampleVarbind[] {
  return n.varbinds
    .filter((vb) => !HEADER.has(vb.oid))
    .slice(0, MAX_VARBINDS)
    .map((vb) => ({ oid: vb.oid, value: sampleValue(vb.value) }));
}

export class UnmappedTable {
  /** Insertion order = least recently seen first. */
  private readonly rows = new Map<string, UnmappedNotification>();

  constructor(private readonly max = 256) {}

  get size(): number {
    return this.rows.size;
  }

  note(n: Notification): UnmappedNotification {
    const at = new Date(n.receivedAt).toISOString();
    return this.merge({
      trapOid: n.trapOid,
      count: 1,
      firstSeen: at,
      lastSeen: at,
      sender: n.address,
      senders: [n.address],
      varbinds: sampleVarbinds(n),
    });
  }

  /** Adds a row (one sighting, or a table posted by the receiver thread) to this table. */
  merge(r: UnmappedNotification): UnmappedNotification {
    const old = this.rows.get(r.trapOid);
    this.rows.delete(r.trapOid);
    const row = old
      ? {
          ...old,
          count: old.count + r.count,
          firstSeen: old.firstSeen < r.firstSeen ? old.firstSeen : r.firstSeen,
          lastSeen: r.lastSeen,
          sender: r.sender,
          senders: [...new Set([...old.senders, ...r.senders])].slice(0, MAX_SENDERS),
          varbinds: r.varbinds,
        }
      : { ...r };
    this.rows.set(r.trapOid, row);
    if (this.rows.size > this.max) this.rows.delete(this.rows.keys().next().value!);
    return row;
  }

  /** Most recently seen first. */
  list(): UnmappedNotification[] {
    return [...this.rows.values()].reverse().map((r) => ({ ...r }));
  }

  /** The rows, emptied (what the receiver thread posts with a batch). */
  drain(): UnmappedNotification[] {
    const out = [...this.rows.values()];
    this.rows.clear();
    return out;
  }
}

/**
 * Logs unmapped notifications at info: per notification OID at most once per `everyMs`, with
 * its sender and varbinds and how many were not logged since; a storm of distinct OIDs is cut
 * at `maxLinesPerInterval` lines per interval.
 */
export class UnmappedLogger {
  private readonly last = new Map<string, { at: number; skipped: number }>();
  private window = { start: -Infinity, lines: 0 };

  constructor(
    private readonly logger: Logger,
    private readonly everyMs = 60_000,
    private readonly maxLinesPerInterval = 20,
  ) {}

  note(n: Notification): void {
    const t = n.receivedAt;
    const seen = this.last.get(n.trapOid);
    if (seen && t - seen.at < this.everyMs) {
      seen.skipped++;
      return;
    }
    if (t - this.window.start >= this.everyMs) this.window = { start: t, lines: 0 };
    if (this.window.lines >= this.maxLinesPerInterval) return;
    this.window.lines++;
    if (this.last.size >= 10_000) this.last.clear();
    this.last.set(n.trapOid, { at: t, skipped: 0 });
    this.logger.info(
      { trapOid: n.trapOid, source: n.address, varbinds: sampleVarbinds(n), notLoggedSince: seen?.skipped ?? 0 },
      'unmapped notification: no mapping rule matches its OID (see GET /api/v1/unmapped)',
    );
  }
}

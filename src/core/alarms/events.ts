// Canonical events: what every input (trap, inform, poll) becomes. Pure types.
import type { Severity } from './catalogue.js';

interface Base {
  /** Node or equipment id the event is about. */
  node: string;
  /** Event time (ms since epoch) as the device stamped it, else receipt time. */
  eventTime: number;
  /** Receipt time (ms since epoch), by the injected clock. */
  receivedAt?: number;
  /** Who sent it (address or NE name), for dedup and resync. */
  sender?: string;
  /** UDP source (or v1 agent) address of a notification. */
  address?: string;
  serial?: number;
}

export interface AlarmEvent extends Base {
  kind: 'raise' | 'clear';
  /** Port id, `PORT:CHANNEL`, or '' for the whole NE. */
  object: string;
  /** Canonical type (contract section 2) or `UNKNOWN:<name>`. */
  type: string;
  vendorName: string;
  severity: Severity;
  text?: string;
  /** Set by the poller's reconciliation. */
  origin?: 'trap' | 'poll' | 'resync';
  /** The EMS that forwarded it over its northbound interface, if any. */
  ems?: string;
}

export interface SwitchEvent extends Base {
  kind: 'switch';
  object: string;
  state: 'toProtection' | 'toWorking' | 'failed';
}

export interface RestartEvent extends Base {
  kind: 'restart';
  reason: 'coldStart' | 'warmStart' | 'uptime-reset';
}

export type CanonicalEvent = AlarmEvent | SwitchEvent | RestartEvent;

/** What an EMS northbound interface says about itself (not an alarm): heartbeats and resync. */
export type EmsSignal =
  | { kind: 'ems'; signal: 'heartbeat'; ems: string; at: number; periodMs?: number }
  | { kind: 'ems'; signal: 'sync-start'; ems: string; at: number }
  | { kind: 'ems'; signal: 'sync-end'; ems: string; at: number; complete: boolean }
  | { kind: 'ems'; signal: 'sync-row'; ems: string; at: number; event: AlarmEvent };
/** What the trap receiver hands on: canonical events for the pipeline, EMS signals for the EMS monitor. */
export type IngestEvent = CanonicalEvent | EmsSignal;

/** ringguard's own clear of an active alarm (a reconciliation found it gone, or its NE left the topology). */
export function resyncClear(
  node: string,
  a: { object: string; type: string; vendorName: string },
  now: number,
  extra: Partial<Pick<AlarmEvent, 'ems' | 'text'>> = {},
): AlarmEvent {
  return {
    kind: 'clear',
    node,
    object: a.object,
    type: a.type,
    vendorName: a.vendorName,
    severity: 'cleared',
    eventTime: now,
    receivedAt: now,
    origin: 'resync',
    ...extra,
  };
}

export function alarmKey(node: string, object: string, type: string): string {
  return `${node}\u0000${object}\u0000${type}`;
}

/** Splits `PORT:CHANNEL` into its parts. */
export function parseObject(object: string): { port: string; channel?: number } {
  const i = object.lastIndexOf(':');
  if (i > 0) {
    const ch = Number(object.slice(i + 1));
    if (Number.isInteger(ch) && ch > 0) return { port: object.slice(0, i), channel: ch };
  }
  return { port: object };
}

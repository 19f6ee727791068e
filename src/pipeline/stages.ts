// The pipeline's stages as small RxJS operators. Each step carries what the stages before it
// changed; every stage adds its own changes. All synchronous; time from the injected scheduler.
import { filter, map, type OperatorFunction } from 'rxjs';
import { defaultSeverity, SEVERITIES } from '../core/alarms/catalogue.js';
import type { CanonicalEvent, SwitchEvent } from '../core/alarms/events.js';
import type { AlarmLedger, LedgerChange } from '../core/alarms/ledger.js';
import type { Correlator } from '../core/correlation/engine.js';
import type { AlarmView, CircuitView, IncidentView, JournalAction } from '../core/model.js';
import type { AckResult } from '../core/alarms/acks.js';
import type { Unplanned, WindowInput, WindowResult } from '../core/maintenance/engine.js';
import type { MaintenanceView } from '../core/maintenance/window.js';
import type { ConfirmResult, ProtectionEngine } from '../core/protection/engine.js';
import type { StoredTicket, TicketEngine, TicketResult } from '../core/tickets/engine.js';

export type Command =
  | { kind: 'confirm'; circuit: string; by: string; note: string | null; to?: 'working' | 'protection' }
  | { kind: 'ack'; ticket: string; by: string }
  | { kind: 'close'; ticket: string; by: string; note: string | null }
  /** A person's note on a ticket's journal. */
  | { kind: 'note'; ticket: string; by: string; text: string }
  /** Any other journal entry from outside the pipeline (e.g. a notification sent). */
  | { kind: 'journal'; ticket: string; by: string; action: JournalAction; text?: string }
  /** Planned works: a new window, or one ended now (`stored`: the stored view, to tell ended from unknown). */
  | { kind: 'maintenance-create'; window: WindowInput }
  | { kind: 'maintenance-end'; window: string; by: string; stored?: MaintenanceView }
  /** Alarm acknowledgement; `view` is the stored alarm, for one the ledger has forgotten. */
  | { kind: 'ack-alarm'; alarm: string; by: string; view?: AlarmView }
  /** Circuits new to the topology (a reload): evaluated against the failures already known. */
  | { kind: 'evaluate'; circuits: string[] };

export interface Step {
  now: number;
  event?: CanonicalEvent;
  tick?: boolean;
  command?: Command;
  result?: ConfirmResult | TicketResult | AckResult | WindowResult;
  /** Planned-works windows created, started or ended in this step. */
  windows: Map<string, MaintenanceView>;
  /** Incidents that stopped being planned in this step, and why. */
  unplanned: Map<string, Unplanned>;
  /** What the ledger did with this step's alarm event. */
  ledger?: LedgerChange[];
  alarms: Map<string, AlarmView>;
  incidents: Map<string, IncidentView>;
  circuits: Map<string, CircuitView>;
  tickets: Map<string, StoredTicket>;
  /** Incidents whose affected circuits may have changed. */
  touchedIncidents: Set<string>;
  restarts: CanonicalEvent[];
}

export function newStep(now: number, init: Partial<Step>): Step {
  return {
    now,
    alarms: new Map(),
    incidents: new Map(),
    circuits: new Map(),
    tickets: new Map(),
    windows: new Map(),
    unplanned: new Map(),
    touchedIncidents: new Set(),
    restarts: [],
    ...init,
  };
}

export interface Counters {
  invalid: number;
  duplicates: number;
  gaps: number;
}

/** normalise: fills receipt/event time and severity, rejects what cannot be an event (counted). */
export function normalise(now: () => number, counters: Counters): OperatorFunction<CanonicalEvent, CanonicalEvent> {
  return (src) =>
    src.pipe(
      map((ev) => {
        const receivedAt = ev.receivedAt ?? now();
        const eventTime = Number.isFinite(ev.eventTime) ? ev.eventTime : receivedAt;
        if (ev.kind === 'raise' || ev.kind === 'clear') {
          const severity =
            ev.kind === 'clear'
              ? 'cleared'
              : SEVERITIES.includes(ev.severity) && ev.severity !== 'cleared'
                ? ev.severity
                : defaultSeverity(ev.type);
          return { ...ev, receivedAt, eventTime, severity, object: ev.object ?? '' };
        }
        return { ...ev, receivedAt, eventTime };
      }),
      filter((ev) => {
        const ok =
          typeof ev.node === 'string' &&
          ev.node.length > 0 &&
          ((ev.kind !== 'raise' && ev.kind !== 'clear') || !!ev.type);
        if (!ok) counters.invalid++;
        return ok;
      }),
    );
}

/**
 * dedup: a serial the same sender already used within `windowMs` is a duplicate (dropped,
 * counted). A jump forward is a gap: the sender is resynchronised. A large jump backwards is a
 * sender that restarted its counter: its history is forgotten, so its new alarms are not taken
 * for duplicates of old ones.
 */
export function dedupSerial(
  counters: Counters,
  onGap: (sender: string, node: string) => void,
  now: () => number,
  windowMs = 120_000,
): OperatorFunction<CanonicalEvent, CanonicalEvent> {
  const senders = new Map<string, { last: number; seen: Map<number, number> }>();
  return (src) =>
    src.pipe(
      filter((ev) => {
        if (ev.serial == null || !ev.sender) return true;
        const t = now();
        let s = senders.get(ev.sender);
        if (!s || ev.serial < s.last - 1000) {
          senders.set(ev.sender, (s = { last: ev.serial, seen: new Map([[ev.serial, t]]) }));
          return true;
        }
        const at = s.seen.get(ev.serial);
        if (at !== undefined && t - at <= windowMs) {
          counters.duplicates++;
          return false;
        }
        if (ev.serial > s.last + 1) {
          counters.gaps++;
          onGap(ev.sender, ev.node);
        }
        s.seen.delete(ev.serial);
        s.seen.set(ev.serial, t);
        // Oldest first (insertion order): drop what left the window, and keep the map bounded.
        for (const [serial, when] of s.seen) {
          if (t - when <= windowMs && s.seen.size <= 8192) break;
          s.seen.delete(serial);
        }
        if (ev.serial > s.last) s.last = ev.serial;
        return true;
      }),
    );
}

const put = <T extends { id: string }>(m: Map<string, T>, list: Iterable<T>) => {
  for (const x of list) m.set(x.id, x);
};

/** pair: raise/clear pairing on (node, object, type), repeats counted, flapping marked. */
export function pair(ledger: AlarmLedger): OperatorFunction<Step, Step> {
  return map((step) => {
    const ev = step.event;
    if (ev && (ev.kind === 'raise' || ev.kind === 'clear')) step.ledger = ledger.apply(ev, step.now);
    return step;
  });
}

/** correlate: the hold-down window, then rules turn alarms into incidents. Switch events pass through. */
export function correlate(c: Correlator): OperatorFunction<Step, Step> {
  return map((step) => {
    const ev = step.event;
    let out;
    if (step.ledger) out = c.onLedger(step.ledger, step.now);
    else if (ev && ev.kind === 'restart') step.restarts.push(ev);
    if (step.tick) {
      const t = c.tick(step.now);
      put(step.alarms, t.alarms);
      put(step.incidents, t.incidents);
    }
    if (out) {
      put(step.alarms, out.alarms);
      put(step.incidents, out.incidents);
    }
    return step;
  });
}

/** protect: circuits from incident impacts, switch events, confirmations and timers. */
export function protect(p: ProtectionEngine, c: Correlator): OperatorFunction<Step, Step> {
  return map((step) => {
    const take = (r: { circuits: CircuitView[]; incidents: string[] }) => {
      put(step.circuits, r.circuits);
      for (const i of r.incidents) step.touchedIncidents.add(i);
    };
    if (step.alarms.size) take(p.applyAlarms(step.alarms.values(), step.now));
    for (const inc of step.incidents.values()) take(p.applyIncident(inc, step.now));
    if (step.event?.kind === 'switch') take(p.switchEvent(step.event as SwitchEvent, step.now));
    if (step.command?.kind === 'evaluate') take(p.evaluateCircuits(step.command.circuits, step.now));
    if (step.command?.kind === 'confirm') {
      const r = p.confirm(step.command.circuit, step.command.by, step.command.note, step.now, step.command.to);
      step.result = r;
      if (r.ok) {
        step.circuits.set(r.circuit.id, r.circuit);
        for (const i of r.incidents ?? []) step.touchedIncidents.add(i);
      }
    }
    if (step.tick) take(p.tick(step.now));
    // Only incidents whose impact or circuits changed get their impacts again (the others' are current).
    for (const id of step.touchedIncidents) {
      const before = step.incidents.get(id) ?? c.incident(id);
      // A cleared incident keeps the circuits it affected and how: that is its history.
      if (before?.state === 'open') c.setImpacts(id, p.impactsOf(id));
      const view = c.incident(id);
      if (view) step.incidents.set(id, view);
    }
    return step;
  });
}

/** ticket: one ticket per incident, priority from its incident's impacts, ack/close, escalation. */
export function ticket(t: TicketEngine, c: Correlator): OperatorFunction<Step, Step> {
  return map((step) => {
    for (const inc of step.incidents.values()) {
      const tk = t.onIncident(inc, step.now, step.unplanned.get(inc.id));
      if (tk) step.tickets.set(tk.id, tk);
      const stored = t.ofIncident(inc.id);
      if (stored && inc.ticketId !== stored.id) {
        c.setTicket(inc.id, stored.id);
        step.incidents.set(inc.id, { ...c.incident(inc.id)!, maintenance: inc.maintenance });
      }
    }
    const cmd = step.command;
    if (cmd?.kind === 'ack' || cmd?.kind === 'close' || cmd?.kind === 'note' || cmd?.kind === 'journal') {
      const r =
        cmd.kind === 'ack'
          ? t.ack(cmd.ticket, cmd.by, step.now)
          : cmd.kind === 'close'
            ? t.close(cmd.ticket, cmd.by, cmd.note, step.now)
            : cmd.kind === 'note'
              ? t.note(cmd.ticket, cmd.by, cmd.text, step.now)
              : t.journal(cmd.ticket, cmd.by, cmd.action, cmd.text, step.now);
      step.result = r;
      if (r.ok) step.tickets.set(r.ticket.id, r.ticket as StoredTicket);
    }
    if (cmd?.kind === 'confirm' && step.result?.ok) journalSwitchover(t, cmd, step);
    if (step.tick) for (const tk of t.tick(step.now)) step.tickets.set(tk.id, tk);
    return step;
  });
}

/** A confirmed switchover goes in the journal of the tickets of the circuit's incidents. */
function journalSwitchover(t: TicketEngine, cmd: Extract<Command, { kind: 'confirm' }>, step: Step): void {
  const r = step.result as ConfirmResult & { ok: true; incidents?: string[] };
  const text = `${cmd.circuit} → ${r.circuit.activePath}${cmd.note ? `: ${cmd.note}` : ''}`;
  for (const inc of new Set([...(r.incidents ?? []), ...r.circuit.incidentIds])) {
    const tk = t.ofIncident(inc);
    if (!tk) continue;
    const j = t.journal(tk.id, cmd.by, 'switchover', text, step.now);
    if (j.ok) step.tickets.set(tk.id, j.ticket as StoredTicket);
  }
}

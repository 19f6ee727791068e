// Per-circuit protection state (contract section 6). Pure: incident impacts, alarms (signal
// fail on spans), switch events, confirmations and the time passed in; circuit changes out.
// Timers (switch timeout, WTR) live in one deadline queue fired by `tick(now)`. Only circuits
// touched by a change are re-evaluated (indexes, never a scan); the rule itself is `decide`.
import type { SwitchEvent } from '../alarms/events.js';
import {
  iso,
  type CircuitImpact,
  type CircuitState,
  type CircuitView,
  type Impact,
  type IncidentView,
} from '../model.js';
import { DeadlineQueue } from '../time/deadline-queue.js';
import type { Circuit } from '../topology/schema.js';
import type { TopologyGraph } from '../topology/graph.js';
import { decide, otherPath, type ActivePath } from './decide.js';
import { addTo, delFrom, EMPTY_IMPACT, FaultIndex, sameImpact } from './faults.js';
import { impactOf } from './impact.js';
import { SignalIndex, type SignalAlarm } from './signals.js';

export interface ProtectionOptions {
  switchTimeoutMs: number;
  wtrMs: number;
}

interface Rec {
  state: CircuitState;
  /** The state the paths alone give: what a path incident does to the circuit. */
  pathState: CircuitState;
  activePath: ActivePath;
  protectionAvailable: boolean;
  workingRestored: boolean;
  /** The working path was seen failed (decided or as signal fail) since the circuit went to protection. */
  workingFailedSeen: boolean;
  switchTo: ActivePath | null;
  confirmedBy: string | null;
  note: string | null;
  incidentIds: string[];
  atRiskUntil: number | null;
  since: number;
  timerDue: number | null;
  switchFailed: boolean;
  /** When a `failed` switch event came or the switch timed out (an early event may precede the fault's decision). */
  switchFailedAt: number | null;
}

export type ConfirmResult =
  | { ok: true; circuit: CircuitView; incidents?: string[] }
  | { ok: false; code: 'NOT_FOUND' | 'CONFLICT'; message: string };

export interface Changes {
  circuits: CircuitView[];
  /** Incidents whose circuits (or their impacts) may have changed. */
  incidents: string[];
}

const SCALARS = [
  'state',
  'pathState',
  'activePath',
  'protectionAvailable',
  'workingRestored',
  'workingFailedSeen',
  'switchTo',
  'confirmedBy',
  'note',
  'atRiskUntil',
  'since',
  'timerDue',
  'switchFailed',
  'switchFailedAt',
] as const;
function changed(a: Rec, b: Rec): boolean {
  for (const k of SCALARS) if (a[k] !== b[k]) return true;
  return false;
}
const sameIds = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const ms = (s: string | null | undefined): number | null => (s ? Date.parse(s) : null);

const hasProtect = (c: Circuit): boolean => c.protection !== 'none' && !!c.protect?.length;
const revertive = (c: Circuit): boolean => c.revertive ?? c.protection === 'ms-spring';

export class ProtectionEngine {
  private readonly recs = new Map<string, Rec>();
  private readonly faults: FaultIndex;
  private readonly signals: SignalIndex;
  private readonly affected = new Map<string, Set<string>>(); // incident -> circuits
  /** The running timer of each circuit (switch timeout or WTR; a circuit has at most one). */
  private readonly timers = new DeadlineQueue<string>();

  constructor(
    readonly graph: TopologyGraph,
    readonly opts: ProtectionOptions,
  ) {
    this.faults = new FaultIndex(graph);
    this.signals = new SignalIndex(graph);
  }

  /** Initial state of every circuit (first start) or restored state (restart). */
  init(now: number, restored: CircuitView[] = []): CircuitView[] {
    const byId = new Map(restored.map((c) => [c.id, c]));
    const out: CircuitView[] = [];
    for (const c of this.graph.circuits.values()) {
      const r = byId.get(c.id);
      const rec = r
        ? fromView(r, now)
        : ({
            state: 'ok',
            pathState: 'ok',
            activePath: 'working',
            protectionAvailable: hasProtect(c),
            workingRestored: false,
            workingFailedSeen: false,
            switchTo: null,
            confirmedBy: null,
            note: null,
            incidentIds: [],
            atRiskUntil: null,
            since: now,
            timerDue: null,
            switchFailed: false,
            switchFailedAt: null,
          } satisfies Rec);
      this.recs.set(c.id, rec);
      this.syncTimer(c.id, rec);
      if (!r) out.push(this.view(c, rec));
    }
    return out;
  }

  /** Restores the fault sets (open incidents) and signal fails (active alarms) without changing circuit records. */
  restore(incidents: IncidentView[], alarms: SignalAlarm[] = []): void {
    for (const inc of incidents)
      if (inc.state === 'open' && !inc.mergedInto) this.faults.set(inc.id, inc.impact, new Set());
    for (const a of alarms) if (a.state === 'active') this.signals.apply(a);
    for (const [cid, rec] of this.recs) for (const i of rec.incidentIds) addTo(this.affected, i, cid);
  }

  nextDue(): number | undefined {
    return this.timers.nextDue();
  }

  circuit(id: string): CircuitView | undefined {
    const c = this.graph.circuits.get(id);
    const r = this.recs.get(id);
    return c && r ? this.view(c, r) : undefined;
  }

  activePathOf(id: string): ActivePath {
    return this.recs.get(id)?.activePath ?? 'working';
  }

  affectedBy(incidentId: string): string[] {
    return [...(this.affected.get(incidentId) ?? [])].sort();
  }

  /** The impact last applied for an incident (empty once it cleared). */
  impactOf(incidentId: string): Impact {
    return this.faults.impactOf(incidentId);
  }

  /** What an open incident does to each circuit it touches, in circuit order. */
  impactsOf(incidentId: string): CircuitImpact[] {
    const out: CircuitImpact[] = [];
    const hits = this.faults.hitsBy(incidentId);
    for (const cid of this.affectedBy(incidentId)) {
      const c = this.graph.circuits.get(cid)!;
      const impact = impactOf(hits(c), this.recs.get(cid)!);
      if (impact) out.push({ circuit: cid, customer: c.customer, priority: c.priority, impact });
    }
    return out;
  }

  /** An incident opened, changed or cleared: update the fault sets, re-evaluate the circuits it touches. */
  applyIncident(inc: IncidentView, now: number): Changes {
    const impact = inc.state === 'open' && !inc.mergedInto ? inc.impact : EMPTY_IMPACT;
    // An incident that changed (an alarm joined it) without changing what it fails touches no circuit.
    if (sameImpact(this.faults.impactOf(inc.id), impact)) return { circuits: [], incidents: [] };
    const touched = new Set<string>();
    this.faults.set(inc.id, impact, touched);
    const before = new Map<string, Rec>();
    for (const id of touched) if (this.recs.has(id)) this.touch(before, id);
    const r = this.reevaluate(before, now);
    // Its impacts per circuit are computed again even when no circuit changed state.
    if (!r.incidents.includes(inc.id)) r.incidents.push(inc.id);
    return r;
  }

  /** Alarms raised or cleared: signal fail on spans, decided or not (short hits). */
  applyAlarms(alarms: Iterable<SignalAlarm>, now: number): Changes {
    const before = new Map<string, Rec>();
    for (const a of alarms) {
      const span = this.signals.apply(a);
      if (span) for (const cid of this.graph.circuitsOnSpan(span, 'working')) this.touch(before, cid);
    }
    return this.reevaluate(before, now);
  }

  /** Circuits new to the topology (a reload, a restart on an edited file): evaluated against the known failures. */
  evaluateCircuits(ids: Iterable<string>, now: number): Changes {
    const before = new Map<string, Rec>();
    for (const id of ids) if (this.recs.has(id)) this.touch(before, id);
    return this.reevaluate(before, now);
  }

  /** rgProtectionSwitch: a ring port switches MS-SPRing circuits, a `PORT:CHANNEL` one the circuit dropped there. */
  switchEvent(ev: SwitchEvent, now: number): Changes {
    const g = this.graph;
    const { port, channel } = g.splitObject(ev.node, ev.object);
    const before = new Map<string, Rec>();
    const span = g.spanAtPort(ev.node, port);
    if (span && channel == null) this.ringSwitch(span, ev.state, now, before);
    else {
      const drop = g.dropAt(ev.node, port, channel) ?? (channel == null ? g.dropsOnPort(ev.node, port)[0] : undefined);
      if (drop) this.pathSwitch(g.circuits.get(drop.circuit)!, this.touch(before, drop.circuit), ev.state, now);
    }
    return this.reevaluate(before, now);
  }

  /**
   * A ring switch at a port concerns the ring's MS-SPRing traffic crossing the span behind that
   * port: `toProtection` moves the circuits working over it (failure known or not: the LOS may
   * still be in hold-down, or it is a forced switch); `toWorking` and `failed` concern the
   * circuits whose working or protection path crosses it.
   */
  private ringSwitch(span: string, state: SwitchEvent['state'], now: number, before: Map<string, Rec>): void {
    if (!this.graph.ringOfSpan(span)) return;
    const paths = state === 'toProtection' ? (['working'] as const) : (['working', 'protect'] as const);
    for (const path of paths) {
      for (const cid of this.graph.circuitsOnSpan(span, path)) {
        const c = this.graph.circuits.get(cid)!;
        if (c.protection !== 'ms-spring' || !hasProtect(c)) continue;
        const rec = this.touch(before, cid);
        // A failed switch concerns the circuits whose active path crosses the span.
        if (state === 'failed' && (rec.activePath === 'working') !== (path === 'working')) continue;
        this.pathSwitch(c, rec, state, now);
      }
    }
  }

  private pathSwitch(c: Circuit, rec: Rec, state: SwitchEvent['state'], now: number): void {
    if (state === 'toProtection') {
      if (rec.activePath === 'working' && hasProtect(c)) this.toProtection(c, rec, null);
    } else if (state === 'toWorking') {
      if (rec.activePath === 'protection') this.toWorking(rec, null);
    } else {
      rec.switchFailed = true;
      rec.switchFailedAt = now;
    }
  }

  private toProtection(c: Circuit, rec: Rec, by: string | null): void {
    const p = this.graph.pathNodes(c.id);
    rec.activePath = 'protection';
    rec.switchFailed = false;
    rec.switchFailedAt = null;
    rec.workingFailedSeen = !!this.faults.failedOn(c.working, p.workingNodes) || this.signals.anyFailed(c.working);
    rec.confirmedBy = by;
  }

  private toWorking(rec: Rec, by: string | null): void {
    rec.activePath = 'working';
    rec.workingRestored = false;
    rec.workingFailedSeen = false;
    rec.switchFailed = false;
    rec.switchFailedAt = null;
    rec.confirmedBy = by;
  }

  /**
   * An engineer confirms a switchover to `to` (default: the path the circuit is not on): from
   * switch-required/switch-failed towards the other path, or the manual revert of a circuit
   * on protection whose working path is restored. Never onto a failed path.
   */
  confirm(id: string, by: string, note: string | null, now: number, to?: ActivePath): ConfirmResult {
    const c = this.graph.circuits.get(id);
    const rec = this.recs.get(id);
    if (!c || !rec) return { ok: false, code: 'NOT_FOUND', message: `circuit "${id}" does not exist` };
    const target = to ?? otherPath(rec.activePath);
    const refused = this.refusal(c, rec, target);
    if (refused) return { ok: false, code: 'CONFLICT', message: refused };
    const before = new Map<string, Rec>();
    this.touch(before, id);
    if (target === 'protection') this.toProtection(c, rec, by);
    else this.toWorking(rec, by);
    rec.workingFailedSeen ||= target === 'protection';
    rec.note = note;
    const r = this.reevaluate(before, now);
    return { ok: true, circuit: this.view(c, rec), incidents: r.incidents };
  }

  /** Why a switchover to `target` is not allowed, or null when it is. */
  private refusal(c: Circuit, rec: Rec, target: ActivePath): string | null {
    if (target === 'protection' && !hasProtect(c)) return `circuit "${c.id}" has no protection path`;
    const p = this.graph.pathNodes(c.id);
    const failed =
      target === 'working'
        ? this.faults.failedOn(c.working, p.workingNodes)
        : this.faults.failedOn(c.protect ?? [], p.protectNodes);
    if (failed) return `circuit "${c.id}" cannot switch to its ${target} path: ${failed} on that path is failed`;
    const switching = (rec.state === 'switch-required' || rec.state === 'switch-failed') && rec.switchTo === target;
    const revert =
      target === 'working' &&
      rec.activePath === 'protection' &&
      rec.workingRestored &&
      (rec.state === 'on-protection' || rec.state === 'at-risk');
    if (switching || revert) return null;
    return (
      `circuit "${c.id}" is ${rec.state} on its ${rec.activePath} path; a switchover to ${target} is allowed from switch-required or ` +
      'switch-failed towards the other path, or back to working from on-protection once the working path is restored'
    );
  }

  /** Fires due timers: switch timeout → switch-failed; WTR expiry → back to working. */
  tick(now: number): Changes {
    const before = new Map<string, Rec>();
    for (const cid of this.timers.takeDue(now)) {
      const rec = this.touch(before, cid);
      rec.timerDue = null;
      if (rec.state === 'switch-required') {
        rec.switchFailed = true;
        rec.switchFailedAt = now;
      } else if (rec.state === 'wtr') this.toWorking(rec, null);
    }
    return this.reevaluate(before, now);
  }

  /** The timer queue follows `rec.timerDue`: one code path, live and after a restore. */
  private syncTimer(id: string, rec: Rec): void {
    this.timers.put(id, rec.timerDue);
  }

  /** The record of `id`, copied into `before` the first time it is touched in this step. */
  private touch(before: Map<string, Rec>, id: string): Rec {
    const rec = this.recs.get(id)!;
    if (!before.has(id)) before.set(id, { ...rec });
    return rec;
  }

  /** Re-evaluates the circuits in `before` and reports those that differ from their copy there. */
  private reevaluate(before: Map<string, Rec>, now: number): Changes {
    const out: CircuitView[] = [];
    const incs = new Set<string>();
    for (const [id, was] of before) {
      const c = this.graph.circuits.get(id);
      const rec = this.recs.get(id);
      if (!c || !rec) continue;
      this.evaluate(c, rec, now);
      const incidentsChanged = this.syncAffected(id, was.incidentIds, rec.incidentIds, incs);
      if (incidentsChanged || changed(was, rec)) {
        out.push(this.view(c, rec));
        for (const i of rec.incidentIds) incs.add(i);
      }
    }
    return { circuits: out, incidents: [...incs] };
  }

  /** Keeps the incident -> circuits index in step with a circuit's incidents; true when they changed. */
  private syncAffected(id: string, old: readonly string[], now: readonly string[], incs: Set<string>): boolean {
    if (old === now) return false;
    let changed = false;
    for (const i of old)
      if (!now.includes(i)) {
        delFrom(this.affected, i, id);
        incs.add(i);
        changed = true;
      }
    for (const i of now)
      if (!old.includes(i)) {
        addTo(this.affected, i, id);
        incs.add(i);
        changed = true;
      }
    return changed;
  }

  private evaluate(c: Circuit, rec: Rec, now: number): void {
    const p = this.graph.pathNodes(c.id);
    const prev = rec.state;
    const needing = prev === 'switch-required' || prev === 'switch-failed';
    const recentFail = rec.switchFailedAt != null && now - rec.switchFailedAt <= this.opts.switchTimeoutMs;
    const activeNodes = rec.activePath === 'working' ? p.workingNodes : p.protectNodes;
    const battery = this.faults.batteryEnd(activeNodes.length ? activeNodes : [c.a.node, c.z.node]);
    const d = decide({
      protected: hasProtect(c),
      revertive: revertive(c),
      activePath: rec.activePath,
      workingHit: this.faults.pathFailed(c.working, p.workingNodes),
      protectHit: this.faults.pathFailed(c.protect ?? [], p.protectNodes),
      workingSignal: this.signals.anyFailed(c.working),
      endpointDown: this.faults.endpointDown(c),
      switchFailed: rec.switchFailed && (needing || recentFail),
      workingFailedSeen: rec.workingFailedSeen,
      onBattery: battery !== undefined,
    });
    // A failed switch lasts while the switch is needed; an early one waits a switch timeout for its fault.
    if (d.pathState !== 'switch-failed' && (needing || !recentFail)) {
      rec.switchFailed = false;
      rec.switchFailedAt = null;
    }
    if (d.state === 'switch-required') {
      if (prev !== 'switch-required' || rec.switchTo !== d.switchTo) rec.timerDue = now + this.opts.switchTimeoutMs;
      if (!needing) {
        rec.confirmedBy = null;
        rec.note = null;
      }
    } else if (d.state === 'wtr') {
      if (prev !== 'wtr') rec.timerDue = now + this.opts.wtrMs;
    } else rec.timerDue = null;
    this.syncTimer(c.id, rec);
    if (d.state !== prev) rec.since = now;
    rec.state = d.state;
    rec.pathState = d.pathState;
    rec.switchTo = d.switchTo;
    rec.workingFailedSeen = d.workingFailedSeen;
    rec.workingRestored = d.workingRestored;
    rec.protectionAvailable = d.protectionAvailable;
    rec.atRiskUntil = battery ?? null;
    const ids = this.faults.incidentsOf(c, p);
    // The same list keeps its array: change detection compares by reference first.
    if (!sameIds(ids, rec.incidentIds)) rec.incidentIds = ids;
  }

  private view(c: Circuit, r: Rec): CircuitView {
    return {
      id: c.id,
      customer: c.customer,
      priority: c.priority,
      protection: c.protection,
      state: r.state,
      activePath: r.activePath,
      protectionAvailable: r.protectionAvailable,
      incidentIds: r.incidentIds,
      confirmedBy: r.confirmedBy,
      workingRestored: r.workingRestored,
      atRiskUntil: r.atRiskUntil != null ? iso(r.atRiskUntil) : null,
      since: iso(r.since),
      timerDue: r.timerDue != null ? iso(r.timerDue) : null,
      switchTo: r.switchTo,
      note: r.note,
      switchFailed: r.switchFailed,
      switchFailedAt: r.switchFailedAt != null ? iso(r.switchFailedAt) : null,
      workingFailedSeen: r.workingFailedSeen,
    };
  }
}

/** A record from its stored view (a restart): the same fields the view was made of. */
function fromView(r: CircuitView, now: number): Rec {
  return {
    state: r.state,
    pathState: r.state === 'at-risk' ? (r.activePath === 'working' ? 'ok' : 'on-protection') : r.state,
    activePath: r.activePath,
    protectionAvailable: r.protectionAvailable,
    workingRestored: r.workingRestored,
    workingFailedSeen: r.workingFailedSeen ?? r.activePath === 'protection',
    switchTo: r.switchTo ?? null,
    confirmedBy: r.confirmedBy,
    note: r.note ?? null,
    incidentIds: r.incidentIds,
    atRiskUntil: ms(r.atRiskUntil),
    since: Date.parse(r.since),
    timerDue: ms(r.timerDue),
    switchFailed: !!r.switchFailed,
    switchFailedAt: ms(r.switchFailedAt) ?? (r.switchFailed ? now : null),
  };
}

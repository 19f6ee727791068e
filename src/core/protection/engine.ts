// Per-circuit protection state (contract section 6). Pure: incidents and switch events in,
// circuit changes out; timers (switch timeout, WTR) are deadlines checked by `tick(now)`.
// Only circuits touched by a change are re-evaluated (indexes, never a scan).
import type { SwitchEvent } from '../alarms/events.js';
import { iso, type CircuitState, type CircuitView, type Impact, type IncidentView } from '../model.js';
import type { Circuit } from '../topology/schema.js';
import type { TopologyGraph } from '../topology/graph.js';
import { DeadlineQueue } from '../time/deadline-queue.js';

export interface ProtectionOptions {
  switchTimeoutMs: number;
  wtrMs: number;
}

interface Rec {
  state: CircuitState;
  activePath: 'working' | 'protection';
  protectionAvailable: boolean;
  workingRestored: boolean;
  /** The working path was seen failed while the circuit was on protection. */
  workingFailedSeen: boolean;
  confirmedBy: string | null;
  note: string | null;
  incidentIds: string[];
  atRiskUntil: number | null;
  since: number;
  timerDue: number | null;
  switchFailed: boolean;
  /** When a `failed` switch event came (it may precede the fault's decision). */
  switchFailedAt: number | null;
}

export type ConfirmResult =
  | { ok: true; circuit: CircuitView }
  | { ok: false; code: 'NOT_FOUND' | 'CONFLICT'; message: string };

type Counted = Map<string, Set<string>>;

function addTo(m: Counted, k: string, v: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}
function delFrom(m: Counted, k: string, v: string): void {
  const s = m.get(k);
  if (s) { s.delete(v); if (!s.size) m.delete(k); }
}

const SCALARS = ['state', 'activePath', 'protectionAvailable', 'workingRestored', 'workingFailedSeen', 'confirmedBy', 'note',
  'atRiskUntil', 'since', 'timerDue', 'switchFailed'] as const;
function changed(a: Rec, b: Rec): boolean {
  for (const k of SCALARS) if (a[k] !== b[k]) return true;
  return false;
}

const EMPTY_IMPACT: Impact = { spans: [], nodes: [], access: [], equipment: [], circuits: [], touches: [], power: [] };

export class ProtectionEngine {
  private readonly recs = new Map<string, Rec>();
  private readonly failedSpans: Counted = new Map();
  private readonly failedNodes: Counted = new Map();
  private readonly failedAccess: Counted = new Map();
  private readonly failedEquip: Counted = new Map();
  private readonly downCircuits: Counted = new Map();
  private readonly touched: Counted = new Map();
  private readonly powerNodes = new Map<string, Map<string, number | null>>(); // node -> incident -> until
  private readonly impacts = new Map<string, Impact>();
  private readonly affected: Counted = new Map(); // incident -> circuits
  /** The running timer of each circuit (switch timeout or WTR; a circuit has at most one). */
  private readonly timers = new DeadlineQueue<string>();

  constructor(readonly graph: TopologyGraph, readonly opts: ProtectionOptions) {}

  /** Initial state of every circuit (first start) or restored state (restart). */
  init(now: number, restored: CircuitView[] = []): CircuitView[] {
    const byId = new Map(restored.map((c) => [c.id, c]));
    const out: CircuitView[] = [];
    for (const c of this.graph.circuits.values()) {
      const r = byId.get(c.id);
      const rec: Rec = r
        ? {
          state: r.state, activePath: r.activePath, protectionAvailable: r.protectionAvailable,
          workingRestored: r.workingRestored, workingFailedSeen: !r.workingRestored && r.activePath === 'protection',
          confirmedBy: r.confirmedBy, note: r.note ?? null, incidentIds: r.incidentIds,
          atRiskUntil: r.atRiskUntil ? Date.parse(r.atRiskUntil) : null, since: Date.parse(r.since),
          timerDue: r.timerDue ? Date.parse(r.timerDue) : null, switchFailed: !!r.switchFailed, switchFailedAt: r.switchFailed ? now : null,
        }
        : {
          state: 'ok', activePath: 'working', protectionAvailable: this.hasProtect(c), workingRestored: false,
          workingFailedSeen: false, confirmedBy: null, note: null, incidentIds: [], atRiskUntil: null, since: now,
          timerDue: null, switchFailed: false, switchFailedAt: null,
        };
      if (r?.state === 'wtr') rec.workingFailedSeen = true;
      this.recs.set(c.id, rec);
      this.syncTimer(c.id, rec);
      if (!r) out.push(this.view(c, rec));
    }
    return out;
  }

  /** Restores the fault sets from the open incidents without changing circuit records. */
  restoreIncidents(incidents: IncidentView[]): void {
    for (const inc of incidents) if (inc.state === 'open') this.setImpact(inc.id, inc.impact, new Set());
    for (const [cid, rec] of this.recs) for (const i of rec.incidentIds) addTo(this.affected, i, cid);
  }

  nextDue(): number | undefined {
    return this.timers.nextDue();
  }

  /** The timer queue follows `rec.timerDue`: one code path, live and after a restore. */
  private syncTimer(id: string, rec: Rec): void {
    this.timers.put(id, rec.timerDue);
  }

  /** The record of `id`, copied into `before` the first time it is touched in this step. */
  private touch(before: Map<string, Rec>, id: string): Rec {
    const rec = this.recs.get(id)!;
    if (!before.has(id)) before.set(id, { ...rec, incidentIds: rec.incidentIds });
    return rec;
  }

  circuit(id: string): CircuitView | undefined {
    const c = this.graph.circuits.get(id);
    const r = this.recs.get(id);
    return c && r ? this.view(c, r) : undefined;
  }

  activePathOf(id: string): 'working' | 'protection' {
    return this.recs.get(id)?.activePath ?? 'working';
  }

  affectedBy(incidentId: string): string[] {
    return [...(this.affected.get(incidentId) ?? [])].sort();
  }

  /** An incident opened, changed or cleared: update the fault sets, re-evaluate the circuits it touches. */
  applyIncident(inc: IncidentView, now: number): { circuits: CircuitView[]; incidents: string[] } {
    const impact = inc.state === 'open' && !inc.detail.mergedInto ? inc.impact : EMPTY_IMPACT;
    const touched = new Set<string>();
    this.setImpact(inc.id, impact, touched);
    const before = new Map<string, Rec>();
    for (const id of touched) if (this.recs.has(id)) this.touch(before, id);
    return this.reevaluate(before, now);
  }

  private setImpact(id: string, impact: Impact, touched: Set<string>): void {
    const g = this.graph;
    const old = this.impacts.get(id) ?? EMPTY_IMPACT;
    const collect = (im: Impact) => {
      for (const s of im.spans) { for (const c of g.circuitsOnSpan(s, 'working')) touched.add(c); for (const c of g.circuitsOnSpan(s, 'protect')) touched.add(c); }
      for (const n of im.nodes) for (const c of g.allCircuitsAtNode(n)) touched.add(c);
      for (const p of im.power) for (const n of this.siteNodes(p.site)) for (const c of g.allCircuitsAtNode(n)) touched.add(c);
      for (const a of im.access) for (const c of g.circuitsOfAccess(a)) touched.add(c);
      for (const e of im.equipment) for (const c of g.circuitsOfEquipment(e)) touched.add(c);
      for (const c of im.circuits) touched.add(c);
      for (const c of im.touches) touched.add(c);
    };
    collect(old);
    collect(impact);
    const swap = (m: Counted, before: string[], after: string[]) => {
      for (const k of before) delFrom(m, k, id);
      for (const k of after) addTo(m, k, id);
    };
    swap(this.failedSpans, old.spans, impact.spans);
    swap(this.failedNodes, old.nodes, impact.nodes);
    swap(this.failedAccess, old.access, impact.access);
    swap(this.failedEquip, old.equipment, impact.equipment);
    swap(this.downCircuits, old.circuits, impact.circuits);
    swap(this.touched, old.touches, impact.touches);
    for (const p of old.power) for (const n of this.siteNodes(p.site)) {
      const m = this.powerNodes.get(n);
      if (m) { m.delete(id); if (!m.size) this.powerNodes.delete(n); }
    }
    for (const p of impact.power) for (const n of this.siteNodes(p.site)) {
      let m = this.powerNodes.get(n);
      if (!m) this.powerNodes.set(n, (m = new Map()));
      m.set(id, p.until);
    }
    if (impact === EMPTY_IMPACT) this.impacts.delete(id);
    else this.impacts.set(id, impact);
  }

  private siteNodes(site: string): readonly string[] {
    const ns = this.graph.nodesOfSite(site);
    return ns.length ? ns : this.graph.nodes.has(site) ? [site] : [];
  }

  /** rgProtectionSwitch: a ring port switches MS-SPRing circuits, a `PORT:CHANNEL` one SNCP circuit. */
  switchEvent(ev: SwitchEvent, now: number): { circuits: CircuitView[]; incidents: string[] } {
    const g = this.graph;
    const { port, channel } = g.splitObject(ev.node, ev.object);
    const before = new Map<string, Rec>();
    const span = g.spanAtPort(ev.node, port);
    if (span && channel == null) {
      // A ring switch at a port moves the ring's MS-SPRing traffic off the span behind that
      // port: every MS-SPRing circuit whose working path crosses it, whether or not the
      // failure is known yet (the LOS may still be in hold-down, or it is a forced switch).
      if (!g.ringOfSpan(span)) return { circuits: [], incidents: [] };
      for (const cid of g.circuitsOnSpan(span, 'working')) {
        const c = g.circuits.get(cid)!;
        if (c.protection !== 'ms-spring' || !this.hasProtect(c)) continue;
        const rec = this.touch(before, cid);
        if (ev.state === 'toProtection') this.toProtection(c, rec);
        else if (ev.state === 'toWorking') { if (rec.activePath === 'protection') this.backToWorking(rec); }
        else if (rec.activePath === 'working') { rec.switchFailed = true; rec.switchFailedAt = now; }
      }
    } else {
      const drop = g.dropAt(ev.node, port, channel) ?? (channel == null ? g.dropsOnPort(ev.node, port)[0] : undefined);
      if (!drop) return { circuits: [], incidents: [] };
      const c = g.circuits.get(drop.circuit)!;
      const rec = this.touch(before, c.id);
      if (ev.state === 'toProtection' && this.hasProtect(c)) this.toProtection(c, rec);
      else if (ev.state === 'toWorking') this.backToWorking(rec);
      else if (ev.state === 'failed') { rec.switchFailed = true; rec.switchFailedAt = now; }
    }
    return this.reevaluate(before, now);
  }

  private toProtection(c: Circuit, rec: Rec): void {
    rec.activePath = 'protection';
    rec.switchFailed = false;
    if (this.workingHit(c)) rec.workingFailedSeen = true;
  }

  private backToWorking(rec: Rec): void {
    rec.activePath = 'working';
    rec.workingRestored = false;
    rec.workingFailedSeen = false;
    rec.confirmedBy = null;
    rec.timerDue = null;
  }

  /** An engineer confirms the switchover (legal from switch-required and switch-failed). */
  confirm(id: string, by: string, note: string | null, now: number): ConfirmResult & { incidents?: string[] } {
    const c = this.graph.circuits.get(id);
    const rec = this.recs.get(id);
    if (!c || !rec) return { ok: false, code: 'NOT_FOUND', message: `circuit "${id}" does not exist` };
    if (rec.state !== 'switch-required' && rec.state !== 'switch-failed') {
      return { ok: false, code: 'CONFLICT', message: `circuit "${id}" is ${rec.state}; a switchover can only be confirmed from switch-required or switch-failed` };
    }
    const before = new Map<string, Rec>();
    this.touch(before, id);
    rec.activePath = 'protection';
    rec.switchFailed = false;
    rec.confirmedBy = by;
    rec.note = note;
    rec.workingFailedSeen = true;
    const r = this.reevaluate(before, now);
    return { ok: true, circuit: this.view(c, rec), incidents: r.incidents };
  }

  /** Fires due timers: switch timeout → switch-failed; WTR expiry → back to working. */
  tick(now: number): { circuits: CircuitView[]; incidents: string[] } {
    const before = new Map<string, Rec>();
    for (const cid of this.timers.takeDue(now)) {
      const rec = this.touch(before, cid);
      rec.timerDue = null;
      if (rec.state === 'switch-required') { rec.switchFailed = true; rec.switchFailedAt = now; }
      else if (rec.state === 'wtr') this.backToWorking(rec);
    }
    return this.reevaluate(before, now);
  }

  private hasProtect(c: Circuit): boolean {
    return c.protection !== 'none' && !!c.protect?.length;
  }

  private pathHit(spans: readonly string[], nodes: readonly string[]): boolean {
    for (const s of spans) if (this.failedSpans.has(s)) return true;
    for (const n of nodes) if (this.failedNodes.has(n)) return true;
    return false;
  }

  private workingHit(c: Circuit): boolean {
    return this.pathHit(c.working, this.graph.pathNodes(c.id).workingNodes);
  }

  /** Re-evaluates the circuits in `before` and reports those that differ from their copy there. */
  private reevaluate(before: Map<string, Rec>, now: number): { circuits: CircuitView[]; incidents: string[] } {
    const out: CircuitView[] = [];
    const incs = new Set<string>();
    for (const [id, was] of before) {
      const c = this.graph.circuits.get(id);
      const rec = this.recs.get(id);
      if (!c || !rec) continue;
      this.evaluate(c, rec, now);
      const oldIncidents = was.incidentIds;
      let incidentsChanged = oldIncidents.length !== rec.incidentIds.length;
      for (const i of oldIncidents) if (!rec.incidentIds.includes(i)) { delFrom(this.affected, i, id); incs.add(i); incidentsChanged = true; }
      for (const i of rec.incidentIds) if (!oldIncidents.includes(i)) { addTo(this.affected, i, id); incs.add(i); incidentsChanged = true; }
      if (incidentsChanged || changed(was, rec)) {
        out.push(this.view(c, rec));
        for (const i of rec.incidentIds) incs.add(i);
      }
    }
    return { circuits: out, incidents: [...incs] };
  }

  private evaluate(c: Circuit, rec: Rec, now: number): void {
    const g = this.graph;
    const p = g.pathNodes(c.id);
    const prevState = rec.state;
    const hasProtect = this.hasProtect(c);
    const wHit = this.pathHit(c.working, p.workingNodes);
    const pHit = hasProtect ? this.pathHit(c.protect!, p.protectNodes) : true;
    const equipment = new Set(c.equipment ?? []);
    for (const a of c.access ?? []) { const l = g.accessLinks.get(a); if (l) equipment.add(l.cpe); }
    const endpointDown = this.failedNodes.has(c.a.node) || this.failedNodes.has(c.z.node) ||
      (c.access ?? []).some((a) => this.failedAccess.has(a)) ||
      [...equipment].some((e) => this.failedEquip.has(e)) || this.downCircuits.has(c.id);

    let state: CircuitState;
    if (endpointDown) state = 'down';
    else if (!hasProtect) state = wHit ? 'down' : 'ok';
    else if (rec.activePath === 'working') {
      if (!wHit) {
        state = 'ok';
        // A `failed` switch event may come before the fault is decided: keep it a while.
        if (rec.switchFailed && (rec.switchFailedAt == null || now - rec.switchFailedAt > this.opts.switchTimeoutMs)) {
          rec.switchFailed = false;
          rec.switchFailedAt = null;
        }
      } else if (pHit) state = 'down';
      else {
        // A failed switch reported long before this fault reached the circuit is not about it.
        if (rec.switchFailed && prevState !== 'switch-failed' && prevState !== 'switch-required' &&
          rec.switchFailedAt != null && now - rec.switchFailedAt > this.opts.switchTimeoutMs) {
          rec.switchFailed = false;
          rec.switchFailedAt = null;
        }
        state = rec.switchFailed ? 'switch-failed' : 'switch-required';
      }
    } else {
      if (wHit) rec.workingFailedSeen = true;
      if (pHit && wHit) state = 'down';
      else if (pHit) state = 'switch-required'; // protection failed, working healthy: switch back
      else if (wHit) state = 'on-protection';
      else if (rec.workingFailedSeen && this.revertive(c)) state = 'wtr';
      else state = 'on-protection';
    }
    rec.workingRestored = rec.activePath === 'protection' && !wHit && rec.workingFailedSeen && state === 'on-protection';

    // Power: a node on the active path at a site running on battery.
    let until: number | null | undefined;
    const activeNodes = rec.activePath === 'working' ? p.workingNodes : p.protectNodes;
    for (const n of activeNodes.length ? activeNodes : [c.a.node, c.z.node]) {
      const m = this.powerNodes.get(n);
      if (!m || this.failedNodes.has(n)) continue;
      for (const u of m.values()) until = until === undefined ? u : u === null ? until : until === null ? u : Math.min(until, u);
    }
    if (until !== undefined && (state === 'ok' || state === 'on-protection')) state = 'at-risk';
    rec.atRiskUntil = until ?? null;

    // Timers follow the state.
    if (state === 'switch-required' && prevState !== 'switch-required') rec.timerDue = now + this.opts.switchTimeoutMs;
    else if (state === 'wtr' && prevState !== 'wtr') rec.timerDue = now + this.opts.wtrMs;
    else if (state !== 'switch-required' && state !== 'wtr') rec.timerDue = null;
    this.syncTimer(c.id, rec);

    if (state === 'ok' && rec.activePath === 'working') rec.confirmedBy = null;
    if (state !== prevState) rec.since = now;
    rec.state = state;
    rec.protectionAvailable = hasProtect && !(rec.activePath === 'working' ? pHit : wHit);
    rec.incidentIds = this.incidentsOf(c, p.workingNodes, p.protectNodes, equipment);
  }

  private revertive(c: Circuit): boolean {
    return c.revertive ?? c.protection === 'ms-spring';
  }

  private incidentsOf(c: Circuit, wNodes: readonly string[], pNodes: readonly string[], equipment: Set<string>): string[] {
    const out = new Set<string>();
    const add = (s: Set<string> | undefined) => { if (s) for (const i of s) out.add(i); };
    for (const s of c.working) add(this.failedSpans.get(s));
    for (const s of c.protect ?? []) add(this.failedSpans.get(s));
    for (const n of wNodes) { add(this.failedNodes.get(n)); const m = this.powerNodes.get(n); if (m) for (const i of m.keys()) out.add(i); }
    for (const n of pNodes) { add(this.failedNodes.get(n)); const m = this.powerNodes.get(n); if (m) for (const i of m.keys()) out.add(i); }
    if (!wNodes.length) for (const n of [c.a.node, c.z.node]) { add(this.failedNodes.get(n)); const m = this.powerNodes.get(n); if (m) for (const i of m.keys()) out.add(i); }
    for (const a of c.access ?? []) add(this.failedAccess.get(a));
    for (const e of equipment) add(this.failedEquip.get(e));
    add(this.downCircuits.get(c.id));
    add(this.touched.get(c.id));
    return [...out].sort();
  }

  private view(c: Circuit, r: Rec): CircuitView {
    return {
      id: c.id, customer: c.customer, priority: c.priority, protection: c.protection, state: r.state,
      activePath: r.activePath, protectionAvailable: r.protectionAvailable, incidentIds: r.incidentIds,
      confirmedBy: r.confirmedBy, workingRestored: r.workingRestored,
      atRiskUntil: r.atRiskUntil != null ? iso(r.atRiskUntil) : null, since: iso(r.since),
      timerDue: r.timerDue != null ? iso(r.timerDue) : null, switchFailed: r.switchFailed, note: r.note,
    };
  }
}

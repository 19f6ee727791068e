// The correlator: takes the alarm ledger's changes, holds each new alarm for its hold-down,
// asks the rules what it means and applies the answer to the incident registry. Its parts,
// one job each: hold-down.ts (the window), registry.ts (incidents open/merged/cleared/
// forgotten), explain.ts + signal-flow.ts (which open incident explains a symptom), orphans.ts
// (symptoms waiting for a later cause), rules/ (one per incident kind). Pure: time is passed
// in. Every alarm ends in exactly one incident.
import { roleOf } from '../alarms/catalogue.js';
import type { AlarmLedger, LedgerChange } from '../alarms/ledger.js';
import type { AlarmView, CircuitImpact, IncidentView } from '../model.js';
import { DeadlineQueue } from '../time/deadline-queue.js';
import type { TopologyGraph } from '../topology/graph.js';
import { Explainer } from './explain.js';
import { HoldDown, phaseOf } from './hold-down.js';
import { emptyImpact, fromView, growImpact, incidentView, type Incident, type StoredIncident } from './incident.js';
import { OrphanIndex } from './orphans.js';
import { IncidentRegistry } from './registry.js';
import { RULES, unclassified } from './rules/index.js';
import { provesAlive } from './rules/live-node.js';
import { explainedBy, R, type Alarm, type Hypothesis, type RuleContext } from './types.js';

export interface CorrelatorOptions {
  holdDownMs: number;
  /** How long an incident of consequent alarms only waits for its cause before its ticket (default 3 × hold-down). */
  orphanGraceMs?: number | null;
}

export interface CorrelationChanges {
  alarms: AlarmView[];
  incidents: IncidentView[];
}

class ChangeSet {
  readonly alarms = new Map<string, Alarm>();
  readonly incidents = new Map<string, Incident>();
}

export class Correlator {
  private readonly hold: HoldDown;
  private readonly reg: IncidentRegistry;
  private readonly orphans = new OrphanIndex();
  private readonly explainer: Explainer;
  /** Consequent-only incidents waiting for their cause before they get a ticket. */
  private readonly grace = new DeadlineQueue<string>();
  private readonly graceMs: number;
  private readonly forgetAfter: number;
  readonly stats = { decided: 0 };
  private readonly ctx: RuleContext;
  /** During a revive: the incident the first new hypothesis takes over. */
  private spare: Incident | null = null;

  /**
   * `activePath` tells which path a circuit is on (from the protection engine): a symptom at a
   * drop is explained by faults on the working path, and on the protection path while it is used.
   */
  constructor(
    readonly graph: TopologyGraph,
    private readonly ledger: AlarmLedger,
    opts: CorrelatorOptions,
    activePath: (circuit: string) => 'working' | 'protection' = () => 'working',
  ) {
    this.hold = new HoldDown(opts.holdDownMs);
    this.graceMs = opts.orphanGraceMs ?? 3 * opts.holdDownMs;
    this.forgetAfter = Math.max(20 * opts.holdDownMs, 600_000);
    this.reg = new IncidentRegistry(graph);
    this.explainer = new Explainer(graph, this.reg.flow, (key) => this.reg.openFor(key), activePath);
    const summary = (inc: Incident | undefined) =>
      inc && { id: inc.id, kind: inc.kind, anchor: inc.anchor, detail: inc.detail };
    this.ctx = {
      graph,
      holdDownMs: opts.holdDownMs,
      active: (node, object, type) => ledger.activeAt(node, object, type),
      activeOn: (node, type) => ledger.activeOn(node, type),
      lastHeard: (node) => ledger.lastHeard(node),
      evidence: (node, object, type) => {
        const a = ledger.activeAt(node, object, type);
        if (a) return a;
        const last = ledger.lastAt(node, object, type);
        return last && last.due != null ? last : undefined;
      },
      openIncidentFor: (key) => summary(this.reg.openFor(key)),
      explain: (a) => summary(this.explainer.explain(a)),
    };
  }

  setIdBase(incident: number): void {
    this.reg.setIdBase(incident);
  }

  /** Earliest processing time at which `tick` has work (hold-down end, orphan grace, held clear expiry). */
  nextDue(): number | undefined {
    const dues = [this.hold.nextDue(), this.grace.nextDue(), this.ledger.nextExpiry()].filter(
      (d): d is number => d !== undefined,
    );
    return dues.length ? Math.min(...dues) : undefined;
  }

  pendingCount(): number {
    return this.hold.size;
  }

  incident(id: string): IncidentView | undefined {
    const inc = this.reg.get(id);
    return inc ? incidentView(inc) : undefined;
  }

  /** Ticket ids are assigned by the ticket stage; the correlator keeps them on its incidents. */
  setTicket(incidentId: string, ticketId: string): void {
    const inc = this.reg.get(incidentId);
    if (inc) inc.ticketId = ticketId;
  }
  /** The circuits an incident touches and what it does to each (from the protection stage). */
  setImpacts(incidentId: string, impacts: CircuitImpact[]): void {
    const inc = this.reg.get(incidentId);
    if (!inc) return;
    inc.impacts = impacts;
    inc.affectedCircuits = impacts.map((i) => i.circuit);
  }

  /** What the ledger did with an alarm event: start hold-downs, reopen, clear incidents. */
  onLedger(changes: readonly LedgerChange[], now: number): CorrelationChanges {
    const ch = new ChangeSet();
    for (const c of changes) {
      const a = c.alarm;
      ch.alarms.set(a.id, a);
      const inc = this.reg.get(a.incidentId);
      if (c.kind === 'new') this.hold.add(a, now);
      else if (c.kind === 'back' && inc) {
        // The same alarm back within the reopen window reopens its incident.
        if (a.flapping) inc.detail.flapping = true;
        this.refreshState(inc, now, ch);
        ch.incidents.set(inc.id, inc);
      } else if (c.kind === 'cleared' && inc) {
        const dead = a.type === 'NE-UNREACHABLE' ? this.reg.openFor(R.node(a.node)) : undefined;
        if (dead?.impact.nodes.includes(a.node)) this.revive(dead, now, ch);
        this.refreshState(inc, now, ch);
        if (inc.state === 'cleared' && !inc.mergedInto) this.releaseLeftovers(inc, now, ch);
      }
    }
    return this.out(ch);
  }

  tick(now: number): CorrelationChanges {
    const ch = new ChangeSet();
    this.forget(now);
    this.ledger.expire(now);
    for (const id of this.grace.takeDue(now)) this.graceOver(id, ch);
    for (const a of this.hold.due(now)) if (a.due != null) this.decide(a, now, ch);
    return this.out(ch);
  }

  memory(): { alarms: number; incidents: number; active: number } {
    return { ...this.ledger.size(), incidents: this.reg.size };
  }

  /**
   * Drops from memory the incidents cleared long enough ago that they cannot reopen, with their
   * cleared alarms (SQLite keeps them). Amortised: each cleared incident is looked at once.
   */
  private forget(now: number): void {
    for (const inc of this.reg.forgettable(now, this.forgetAfter)) {
      const alarms = [...inc.alarms].map((aid) => this.ledger.get(aid)).filter((a): a is Alarm => !!a);
      if (alarms.some((a) => a.state === 'active')) continue;
      for (const a of alarms) {
        this.ledger.forget(a);
        if (inc.kind === 'unclassified') this.orphans.remove(a, this.explainer.waitKeys(a));
      }
      this.grace.delete(inc.id);
      this.reg.forget(inc);
    }
  }

  /** Still unexplained after the orphan grace: the incident gets its ticket now. */
  private graceOver(id: string, ch: ChangeSet): void {
    const inc = this.reg.get(id);
    if (!inc || inc.state !== 'open' || inc.mergedInto || inc.awaitingCauseUntil == null) return;
    inc.awaitingCauseUntil = null;
    ch.incidents.set(inc.id, inc);
  }

  // ---- decision ------------------------------------------------------------------------

  private decide(a: Alarm, now: number, ch: ChangeSet): void {
    const dead = this.reg.openFor(R.node(a.node));
    if (dead && provesAlive(a, dead, this.graph, this.ledger)) this.revive(dead, now, ch);
    if (!a.incidentId) this.decideOne(a, now, ch);
  }

  /**
   * A node an open incident has failed spoke: it is alive. That incident is decided again from its
   * alarms, causes first, as if they came now; the first new hypothesis takes over the incident
   * (id, ticket); what failed is what the new evidence says (the node is no longer failed).
   */
  private revive(inc: Incident, now: number, ch: ChangeSet): void {
    const alarms = [...inc.alarms].map((id) => this.ledger.get(id)!);
    this.reg.reset(inc, `revived:${inc.id}`);
    for (const set of [inc.spans, inc.nodes, inc.sites, inc.accessLinks, inc.equipment]) set.clear();
    inc.alarms.clear();
    inc.roots.clear();
    inc.detail = {};
    this.spare = inc;
    this.redecide(alarms, now, ch);
    this.spare = null;
    if (!inc.alarms.size) this.retire(inc, this.reg.get(alarms[0]?.incidentId) ?? inc, now);
    ch.incidents.set(inc.id, inc);
  }

  /**
   * An incident cleared (its roots cleared) while alarms that are causes on their own are still
   * active in it (the board was replaced but the span stays dark; mains are back but the node
   * stays dead): those alarms, with the symptoms left beside them, are decided again rather
   * than hidden in a cleared incident.
   */
  private releaseLeftovers(inc: Incident, now: number, ch: ChangeSet): void {
    const left = [...inc.alarms].map((id) => this.ledger.get(id)!).filter((x) => x.state === 'active');
    if (!left.some((x) => roleOf(x.type) === 'root')) return;
    for (const x of left) {
      inc.alarms.delete(x.id);
      inc.roots.delete(x.id);
    }
    this.redecide(left, now, ch);
    ch.incidents.set(inc.id, inc);
  }

  /** Alarms taken out of their incident are decided again, causes first. */
  private redecide(alarms: Alarm[], now: number, ch: ChangeSet): void {
    for (const x of alarms) {
      x.incidentId = null;
      x.suppressed = false;
    }
    alarms.sort((x, y) => phaseOf(x.type) - phaseOf(y.type) || x.raisedAt - y.raisedAt || x.n - y.n);
    for (const x of alarms) if (!x.incidentId) this.decideOne(x, now, ch);
  }

  private decideOne(a: Alarm, now: number, ch: ChangeSet): void {
    const root = roleOf(a.type) === 'root';
    let hyp: Hypothesis | undefined;
    if (!root) hyp = explainedBy(a, this.ctx);
    if (!hyp) {
      for (const rule of RULES) {
        if (!rule.triggers.includes(a.type)) continue;
        hyp = rule.match(a, this.ctx);
        if (hyp) break;
      }
    }
    if (!hyp && root) hyp = explainedBy(a, this.ctx);
    hyp ??= unclassified.match(a, this.ctx)!;
    this.apply(hyp, a, now, ch);
    this.stats.decided++;
  }

  private apply(hyp: Hypothesis, a: Alarm, now: number, ch: ChangeSet): void {
    let inc = this.reg.openByAnchor(hyp.anchor);
    const absorbed: Incident[] = [];
    for (const anchor of hyp.absorbs ?? []) {
      const other = this.reg.openByAnchor(anchor);
      if (other && other !== inc && !absorbed.includes(other)) absorbed.push(other);
    }
    absorbed.sort((x, y) => x.n - y.n);
    if (!inc && absorbed.length) {
      // Evidence grew: the oldest incident becomes the new one (keeps its id, ticket and every
      // failure it had found; its location and detail are the new hypothesis').
      inc = absorbed.shift()!;
      this.reg.reanchor(inc, hyp.anchor);
      inc.kind = hyp.kind;
      inc.detail = {};
      for (const set of [inc.spans, inc.nodes, inc.sites, inc.accessLinks, inc.equipment]) set.clear();
    }
    inc ??= this.takeSpare(hyp) ?? this.reg.create(hyp.kind, hyp.anchor, a.raisedAt);
    for (const other of absorbed) this.merge(other, inc, ch);
    this.extend(inc, hyp);
    this.assign(a, inc, !hyp.root, ch);
    for (const r of hyp.related) this.assign(r.alarm, inc, !r.root, ch);
    if (hyp.demotes) for (const r of hyp.related) if (!r.root) this.demote(r.alarm, inc, ch);
    if (inc.kind === 'unclassified' && roleOf(a.type) !== 'root') this.orphans.add(a, this.explainer.waitKeys(a));
    else this.adoptAll(hyp, now, ch);
    this.refreshState(inc, now, ch);
    this.awaitCause(inc, now);
    ch.incidents.set(inc.id, inc);
  }

  /** The incident being decided again (revive) becomes the first new one. */
  private takeSpare(hyp: Hypothesis): Incident | undefined {
    const inc = this.spare;
    if (!inc) return undefined;
    this.spare = null;
    this.reg.reanchor(inc, hyp.anchor);
    inc.kind = hyp.kind;
    return inc;
  }

  /** Everything newly explained by a hypothesis: its resource keys and its failures' segments. */
  private adoptAll(hyp: Hypothesis, now: number, ch: ChangeSet): void {
    const keys = [...hyp.explains];
    for (const span of hyp.impact.spans ?? []) keys.push(...this.reg.flow.segmentsOf({ span }));
    for (const node of hyp.impact.nodes ?? []) keys.push(...this.reg.flow.segmentsOf({ node }));
    for (const key of keys) this.orphans.visit(key, (s) => this.adopt(s, now, ch));
  }

  /**
   * Takes an unclassified symptom into the incident that now explains it. True when the symptom
   * no longer waits (adopted, cleared, or no longer unclassified).
   */
  private adopt(a: Alarm, now: number, ch: ChangeSet): boolean {
    const old = this.reg.get(a.incidentId);
    if (!old || old.kind !== 'unclassified' || a.state !== 'active') return true;
    const inc = this.explainer.explain(a);
    if (!inc || inc === old) return false;
    old.alarms.delete(a.id);
    old.roots.delete(a.id);
    a.incidentId = null;
    this.assign(a, inc, true, ch);
    ch.incidents.set(inc.id, inc);
    if (!old.alarms.size) {
      // Nothing was left of it: it was this fault all along.
      this.retire(old, inc, a.raisedAt);
    } else this.refreshState(old, now, ch);
    ch.incidents.set(old.id, old);
    return true;
  }

  private extend(inc: Incident, hyp: Hypothesis): void {
    const loc = hyp.location;
    for (const s of loc.spans ?? []) inc.spans.add(s);
    for (const s of loc.nodes ?? []) inc.nodes.add(s);
    for (const s of loc.sites ?? []) inc.sites.add(s);
    for (const s of loc.accessLinks ?? []) inc.accessLinks.add(s);
    for (const s of loc.equipment ?? []) inc.equipment.add(s);
    growImpact(inc.impact, hyp.impact);
    this.reg.fail(inc, hyp.impact.spans ?? [], hyp.impact.nodes ?? []);
    for (const [k, v] of Object.entries(hyp.detail)) {
      const cur = inc.detail[k];
      inc.detail[k] = Array.isArray(v) && Array.isArray(cur) ? [...new Set([...cur, ...v])] : v;
    }
    for (const e of hyp.explains) this.reg.explain(inc, e);
  }

  private assign(a: Alarm, inc: Incident, suppressed: boolean, ch: ChangeSet): void {
    this.hold.remove(a);
    if (roleOf(a.type) === 'root') inc.causeSeen = true;
    if (a.incidentId === inc.id) {
      if (!suppressed && a.suppressed) {
        a.suppressed = false;
        inc.roots.add(a.id);
        ch.alarms.set(a.id, a);
      }
      return;
    }
    const old = this.reg.get(a.incidentId);
    if (old) {
      // Taking a root from another incident means that incident was part of this fault.
      this.merge(old, inc, ch);
      if (!suppressed && a.suppressed) {
        a.suppressed = false;
        inc.roots.add(a.id);
      }
      return;
    }
    a.incidentId = inc.id;
    a.suppressed = suppressed;
    inc.alarms.add(a.id);
    if (!suppressed) inc.roots.add(a.id);
    if (a.raisedAt < inc.openedAt) inc.openedAt = a.raisedAt;
    if (a.flapping) inc.detail.flapping = true;
    ch.alarms.set(a.id, a);
  }

  private demote(a: Alarm, inc: Incident, ch: ChangeSet): void {
    if (a.incidentId !== inc.id || a.suppressed || inc.roots.size < 2) return;
    a.suppressed = true;
    inc.roots.delete(a.id);
    ch.alarms.set(a.id, a);
  }

  /** `from` was a partial reading of the fault `into` stands for: its alarms and failures move over. */
  private merge(from: Incident, into: Incident, ch: ChangeSet): void {
    if (from === into) return;
    for (const id of from.alarms) {
      const a = this.ledger.get(id)!;
      a.incidentId = into.id;
      into.alarms.add(id);
      if (from.roots.has(id)) into.roots.add(id);
      if (a.raisedAt < into.openedAt) into.openedAt = a.raisedAt;
      ch.alarms.set(id, a);
    }
    if (from.causeSeen) into.causeSeen = true;
    // Every failed resource stays failed in the circuit model (what it merely touched does not).
    growImpact(into.impact, from.impact, false);
    this.reg.fail(into, from.impact.spans, from.impact.nodes);
    for (const e of from.explains) this.reg.explain(into, e);
    from.alarms.clear();
    from.roots.clear();
    this.retire(from, into, from.clearedAt ?? from.openedAt);
    ch.incidents.set(from.id, from);
    ch.incidents.set(into.id, into);
  }

  /** Closes an incident that turned out to be part of another. */
  private retire(old: Incident, into: Incident, at: number): void {
    this.reg.close(old, at);
    old.mergedInto = into.id;
    old.impact = emptyImpact();
    this.grace.delete(old.id);
  }

  private refreshState(inc: Incident, now: number, ch: ChangeSet): void {
    if (inc.mergedInto) return;
    let anyActive = false;
    let lastClear = 0;
    for (const id of inc.roots) {
      const a = this.ledger.get(id)!;
      if (a.state === 'active') {
        anyActive = true;
        break;
      }
      lastClear = Math.max(lastClear, a.clearedAt ?? 0);
    }
    if (!anyActive && inc.roots.size > 0 && inc.state === 'open') {
      this.reg.close(inc, lastClear);
      ch.incidents.set(inc.id, inc);
    } else if (anyActive && inc.state === 'cleared') {
      this.reg.reopen(inc);
      if (inc.ticketId == null && inc.awaitingCauseUntil != null) this.startGrace(inc, now);
      ch.incidents.set(inc.id, inc);
    }
  }

  /**
   * An incident made of consequent alarms only opens no ticket until it is still unexplained
   * after the orphan grace; a cause joining it ends the wait at once.
   */
  private awaitCause(inc: Incident, now: number): void {
    if (inc.ticketId != null) return;
    if (inc.causeSeen) {
      if (inc.awaitingCauseUntil != null) {
        inc.awaitingCauseUntil = null;
        this.grace.delete(inc.id);
      }
    } else if (inc.awaitingCauseUntil == null) this.startGrace(inc, now);
  }

  private startGrace(inc: Incident, now: number): void {
    inc.awaitingCauseUntil = now + this.graceMs;
    this.grace.set(inc.id, inc.awaitingCauseUntil);
  }

  // ---- views and restore ---------------------------------------------------------------

  private out(ch: ChangeSet): CorrelationChanges {
    return {
      alarms: [...ch.alarms.values()].map((a) => this.ledger.view(a)),
      incidents: [...ch.incidents.values()].map((i) => incidentView(i)),
    };
  }

  /**
   * Rebuilds the incidents from persisted views (restart) and links the alarms the ledger
   * restored, through the same code the live path uses: the registry's indexes, the hold-down
   * queue (alarms keep their deadline), the symptoms waiting for a later cause, the orphan grace.
   */
  restore(alarms: readonly Alarm[], incidents: StoredIncident[], now: number): void {
    for (const v of incidents) this.reg.add(fromView(v));
    const waiting: Alarm[] = [];
    for (const a of alarms) {
      const inc = this.reg.get(a.incidentId);
      if (!inc) {
        if (!a.incidentId) waiting.push(a);
        continue;
      }
      inc.alarms.add(a.id);
      if (roleOf(a.type) === 'root') inc.causeSeen = true;
      if (inc.kind === 'unclassified' && inc.state === 'open' && a.state === 'active' && roleOf(a.type) !== 'root') {
        this.orphans.add(a, this.explainer.waitKeys(a));
      }
    }
    for (const inc of this.reg.values()) {
      if (inc.state === 'open' && inc.ticketId == null && inc.awaitingCauseUntil != null)
        this.grace.set(inc.id, inc.awaitingCauseUntil);
    }
    this.hold.restore(waiting, now);
  }
}

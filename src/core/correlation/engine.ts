// The correlator: hold-down window, rule evaluation, suppression, incident lifecycle. It takes
// the alarm ledger's changes (pairing, repeats and flapping are the ledger's). Pure: time is
// passed in (`now` = processing time from the injected scheduler; event times come with the
// alarms). Every alarm ends in exactly one incident.
import { roleOf } from '../alarms/catalogue.js';
import type { AlarmLedger, LedgerChange } from '../alarms/ledger.js';
import { iso, type AlarmView, type Impact, type IncidentKind, type IncidentView } from '../model.js';
import type { TopologyGraph } from '../topology/graph.js';
import { RULES, unclassified } from './rules/index.js';
import { dropsOf } from './rules/drops.js';
import { R, explainedBy, type Alarm, type Hypothesis, type RuleContext } from './types.js';

export interface CorrelatorOptions {
  holdDownMs: number;
}

interface Incident {
  n: number;
  id: string;
  kind: IncidentKind;
  anchor: string;
  state: 'open' | 'cleared';
  openedAt: number;
  clearedAt: number | null;
  spans: Set<string>;
  nodes: Set<string>;
  sites: Set<string>;
  accessLinks: Set<string>;
  equipment: Set<string>;
  roots: Set<string>;
  alarms: Set<string>;
  explains: Set<string>;
  impact: Impact;
  detail: Record<string, unknown>;
  affectedCircuits: string[];
  ticketId: string | null;
}

export interface CorrelationChanges {
  alarms: AlarmView[];
  incidents: IncidentView[];
}

class ChangeSet {
  readonly alarms = new Map<string, Alarm>();
  readonly incidents = new Map<string, Incident>();
}

/** Processing order of due alarms: causes before the symptoms they explain. */
function phaseOf(type: string): number {
  switch (type) {
    case 'POWER-FAIL': return 0;
    case 'DYING-GASP': case 'HW-FAIL': return 1;
    case 'LOS': case 'LOF': return 2;
    case 'IN-PWR-LOW': case 'AU-LOP': case 'TU-LOP': return 3;
    case 'E1-LOS': return 4;
    case 'LINK-DOWN': return 5;
    case 'NE-UNREACHABLE': return 7;
    default: return type.startsWith('UNKNOWN:') ? 8 : 6;
  }
}

const emptyImpact = (): Impact => ({ spans: [], nodes: [], access: [], equipment: [], circuits: [], touches: [], power: [] });

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function union(into: string[], more: readonly string[] | undefined): string[] {
  if (!more?.length) return into;
  const s = new Set(into);
  for (const m of more) s.add(m);
  return s.size === into.length ? into : [...s];
}

export class Correlator {
  // In deadline order: a deadline is `now + hold-down` and `now` never goes back, so insertion
  // order is deadline order. O(1) next deadline.
  private readonly pending = new Set<Alarm>();
  private pendingRoots = 0;
  private readonly incidents = new Map<string, Incident>();
  private readonly openByAnchor = new Map<string, Incident>();
  private readonly byResource = new Map<string, Incident[]>();
  /**
   * Symptoms left unclassified because their cause had not shown yet, by the resource keys that
   * could explain them: an incident registering one of those keys later takes them in.
   */
  private readonly orphans = new Map<string, Set<Alarm>>();
  /** Cleared incidents in clearing order, to forget once they can no longer reopen. */
  private readonly clearedQueue: Array<{ id: string; at: number }> = [];
  private readonly forgetAfter: number;
  private incidentSeq = 0;
  private readonly holdDown: number;
  readonly stats = { decided: 0, pulledForward: 0 };
  private readonly ctx: RuleContext;

  /**
   * `activePath` tells which path a circuit is on (from the protection engine): a symptom at a
   * drop is explained by faults on the working path, and on the protection path while it is used.
   */
  constructor(readonly graph: TopologyGraph, private readonly ledger: AlarmLedger, opts: CorrelatorOptions,
    private readonly activePath: (circuit: string) => 'working' | 'protection' = () => 'working') {
    this.holdDown = opts.holdDownMs;
    this.forgetAfter = Math.max(20 * this.holdDown, 600_000);
    this.ctx = {
      graph,
      holdDownMs: this.holdDown,
      active: (node, object, type) => ledger.activeAt(node, object, type),
      activeOn: (node, type) => ledger.activeOn(node, type),
      openIncidentFor: (key) => {
        const inc = this.openByAnchor.get(key) ?? this.byResource.get(key)?.[0];
        return inc ? { id: inc.id, kind: inc.kind, anchor: inc.anchor, detail: inc.detail } : undefined;
      },
      causesOf: (a) => this.causesOf(a),
    };
  }

  setIdBase(incident: number): void {
    this.incidentSeq = Math.max(this.incidentSeq, incident);
  }

  /** Earliest processing time at which `tick` has work (hold-down end, held clear expiry). */
  nextDue(): number | undefined {
    const a = this.pending.values().next().value?.due ?? undefined;
    const h = this.ledger.nextExpiry();
    return a === undefined ? h : h === undefined ? a : Math.min(a, h);
  }

  pendingCount(): number {
    return this.pending.size;
  }

  incident(id: string): IncidentView | undefined {
    const inc = this.incidents.get(id);
    return inc ? this.incidentView(inc) : undefined;
  }

  /** Ticket ids are assigned by the ticket stage; the correlator keeps them on its incidents. */
  setTicket(incidentId: string, ticketId: string): void {
    const inc = this.incidents.get(incidentId);
    if (inc) inc.ticketId = ticketId;
  }
  setAffected(incidentId: string, circuits: string[]): void {
    const inc = this.incidents.get(incidentId);
    if (inc) inc.affectedCircuits = circuits;
  }

  /** What the ledger did with an alarm event: start hold-downs, reopen, clear incidents. */
  onLedger(changes: readonly LedgerChange[], now: number): CorrelationChanges {
    const ch = new ChangeSet();
    for (const c of changes) {
      const a = c.alarm;
      ch.alarms.set(a.id, a);
      const inc = a.incidentId ? this.incidents.get(a.incidentId) : undefined;
      if (c.kind === 'new') {
        a.due = now + this.holdDown;
        this.pending.add(a);
        if (roleOf(a.type) === 'root') this.pendingRoots++;
      } else if (c.kind === 'back' && inc) {
        // The same alarm back within the reopen window reopens its incident.
        if (a.flapping) inc.detail.flapping = true;
        if (inc.state === 'cleared' && inc.roots.has(a.id) && !inc.detail.mergedInto) this.reopen(inc);
        ch.incidents.set(inc.id, inc);
      } else if (c.kind === 'cleared' && inc) {
        this.refreshState(inc, ch);
      }
    }
    return this.out(ch);
  }

  tick(now: number): CorrelationChanges {
    const ch = new ChangeSet();
    this.forget(now);
    this.ledger.expire(now);
    const due: Alarm[] = [];
    for (const a of this.pending) {
      if (a.due! > now) break;
      due.push(a);
    }
    // A symptom whose hold-down ended while causes still wait (it came first: UDP reorders,
    // NEs report at different speeds): the waiting causes are decided now, before it, so it is
    // explained on time. Every alarm is decided when its own hold-down ends.
    if (this.pendingRoots > 0 && due.some((a) => roleOf(a.type) !== 'root')) {
      for (const a of this.pending) {
        if (a.due! > now && roleOf(a.type) === 'root') {
          due.push(a);
          this.stats.pulledForward++;
        }
      }
    }
    due.sort((x, y) => phaseOf(x.type) - phaseOf(y.type) || x.raisedAt - y.raisedAt || x.n - y.n);
    for (const a of due) if (a.due != null) this.decide(a, now, ch);
    return this.out(ch);
  }

  /**
   * Drops from memory the incidents cleared long enough ago that they cannot reopen, with their
   * cleared alarms (SQLite keeps them). Amortised: each cleared incident is looked at once.
   */
  private forget(now: number): void {
    while (this.clearedQueue.length && now - this.clearedQueue[0].at > this.forgetAfter) {
      const { id } = this.clearedQueue.shift()!;
      const inc = this.incidents.get(id);
      if (!inc || inc.state !== 'cleared') continue;
      const alarms = [...inc.alarms].map((aid) => this.ledger.get(aid)).filter((a): a is Alarm => !!a);
      if (alarms.some((a) => a.state === 'active')) continue;
      for (const a of alarms) {
        this.ledger.forget(a);
        if (inc.kind !== 'unclassified') continue;
        for (const key of this.causesOf(a)) {
          const set = this.orphans.get(key);
          if (set?.delete(a) && !set.size) this.orphans.delete(key);
        }
      }
      this.incidents.delete(id);
    }
  }

  memory(): { alarms: number; incidents: number; active: number } {
    return { ...this.ledger.size(), incidents: this.incidents.size };
  }

  // ---- decision ------------------------------------------------------------------------

  private decide(a: Alarm, now: number, ch: ChangeSet): void {
    const root = roleOf(a.type) === 'root';
    let hyp: Hypothesis | undefined;
    if (!root) hyp = explainedBy(a, this.ctx) ?? this.isolated(a);
    if (!hyp) {
      for (const rule of RULES) {
        if (!rule.triggers.includes(a.type)) continue;
        hyp = rule.match(a, this.ctx);
        if (hyp) break;
      }
    }
    if (!hyp && root) hyp = explainedBy(a, this.ctx);
    hyp ??= unclassified.match(a, this.ctx)!;
    this.apply(hyp, a, ch);
    this.stats.decided++;
  }

  /** NE-UNREACHABLE of a ring node cut off on every side is explained by those cuts. */
  private isolated(a: Alarm): Hypothesis | undefined {
    if (a.type !== 'NE-UNREACHABLE' || !this.graph.nodes.has(a.node)) return undefined;
    const spans = this.graph.spansOfNode(a.node);
    if (!spans.length) return undefined;
    let first: Incident | undefined;
    for (const s of spans) {
      const inc = this.byResource.get(R.span(s))?.[0];
      if (!inc) return undefined;
      first ??= inc;
    }
    return { kind: first!.kind, anchor: first!.anchor, root: false, related: [], location: {}, explains: [], impact: {}, detail: {} };
  }

  private causesOf(a: Alarm): string[] {
    const g = this.graph;
    const keys: string[] = [];
    const circuitKeys = (cid: string) => {
      const c = g.circuits.get(cid);
      if (!c) return;
      for (const acc of c.access ?? []) keys.push(R.access(acc));
      for (const e of c.equipment ?? []) keys.push(R.eq(e));
      for (const acc of c.access ?? []) { const l = g.accessLinks.get(acc); if (l) keys.push(R.eq(l.cpe)); }
      const p = g.pathNodes(cid);
      for (const s of c.working) keys.push(R.span(s));
      for (const nd of p.workingNodes) keys.push(R.node(nd));
      if (this.activePath(cid) === 'protection') {
        for (const s of c.protect ?? []) keys.push(R.span(s));
        for (const nd of p.protectNodes) keys.push(R.node(nd));
      }
      keys.push(R.ckt(cid));
    };
    if (g.nodes.has(a.node)) {
      if (a.port) {
        const span = g.spanAtPort(a.node, a.port);
        if (span) {
          keys.push(R.span(span), R.node(g.farEnd(span, a.node)!.node));
          // AIS arrives from upstream: the node's other spans and their far nodes.
          for (const s of g.spansOfNode(a.node)) if (s !== span) keys.push(R.span(s), R.node(g.farEnd(s, a.node)!.node));
        }
        const acc = g.accessAtPort(a.node, a.port);
        if (acc) keys.push(R.access(acc), R.eq(g.accessLinks.get(acc)!.cpe));
        for (const d of dropsOf(g, a)) circuitKeys(d.circuit);
      }
      keys.push(R.node(a.node));
    } else if (g.equipment.has(a.node)) {
      keys.push(R.eq(a.node));
      for (const cid of g.circuitsOfEquipment(a.node)) circuitKeys(cid);
    }
    return keys;
  }

  private apply(hyp: Hypothesis, a: Alarm, ch: ChangeSet): void {
    let inc = this.openByAnchor.get(hyp.anchor);
    const absorbed: Incident[] = [];
    for (const anchor of hyp.absorbs ?? []) {
      const other = this.openByAnchor.get(anchor);
      if (other && other !== inc && !absorbed.includes(other)) absorbed.push(other);
    }
    absorbed.sort((x, y) => x.n - y.n);
    if (!inc && absorbed.length) {
      // Evidence grew: the oldest incident becomes the new one (keeps its id and ticket).
      inc = absorbed.shift()!;
      this.unregister(inc);
      inc.anchor = hyp.anchor;
      inc.kind = hyp.kind;
      inc.detail = {};
      for (const set of [inc.spans, inc.nodes, inc.sites, inc.accessLinks, inc.equipment, inc.explains]) set.clear();
      inc.impact = emptyImpact();
      this.register(inc);
    }
    if (!inc) inc = this.create(hyp, a);
    for (const other of absorbed) this.merge(other, inc, ch);
    this.extend(inc, hyp);
    this.assign(a, inc, !hyp.root, ch);
    for (const r of hyp.related) this.assign(r.alarm, inc, !r.root, ch);
    if (inc.kind === 'unclassified' && roleOf(a.type) !== 'root') {
      this.indexOrphan(a);
    } else {
      for (const key of hyp.explains) this.adopt(key, inc, ch);
    }
    this.refreshState(inc, ch);
    ch.incidents.set(inc.id, inc);
  }

  /** A symptom left unclassified waits, indexed by the resources that could explain it. */
  private indexOrphan(a: Alarm): void {
    for (const key of this.causesOf(a)) addTo(this.orphans, key, a);
  }

  /** Takes in the unclassified symptoms that an incident's new resource now explains. */
  private adopt(key: string, inc: Incident, ch: ChangeSet): void {
    const waiting = this.orphans.get(key);
    if (!waiting) return;
    this.orphans.delete(key);
    for (const a of waiting) {
      const old = a.incidentId ? this.incidents.get(a.incidentId) : undefined;
      if (!old || old === inc || old.kind !== 'unclassified' || a.state !== 'active') continue;
      old.alarms.delete(a.id);
      old.roots.delete(a.id);
      a.incidentId = null;
      this.assign(a, inc, true, ch);
      if (!old.alarms.size) {
        // Nothing was left of it: it was this fault all along.
        this.unregister(old);
        old.state = 'cleared';
        old.clearedAt = a.raisedAt;
        old.detail.mergedInto = inc.id;
        old.impact = emptyImpact();
        this.clearedQueue.push({ id: old.id, at: old.clearedAt });
      } else this.refreshState(old, ch);
      ch.incidents.set(old.id, old);
    }
  }

  private create(hyp: Hypothesis, a: Alarm): Incident {
    const n = ++this.incidentSeq;
    const inc: Incident = {
      n, id: `INC-${n}`, kind: hyp.kind, anchor: hyp.anchor, state: 'open', openedAt: a.raisedAt,
      clearedAt: null, spans: new Set(), nodes: new Set(), sites: new Set(), accessLinks: new Set(),
      equipment: new Set(), roots: new Set(), alarms: new Set(), explains: new Set(),
      impact: emptyImpact(), detail: {}, affectedCircuits: [], ticketId: null,
    };
    this.incidents.set(inc.id, inc);
    this.register(inc);
    return inc;
  }

  private extend(inc: Incident, hyp: Hypothesis): void {
    const loc = hyp.location;
    for (const s of loc.spans ?? []) inc.spans.add(s);
    for (const s of loc.nodes ?? []) inc.nodes.add(s);
    for (const s of loc.sites ?? []) inc.sites.add(s);
    for (const s of loc.accessLinks ?? []) inc.accessLinks.add(s);
    for (const s of loc.equipment ?? []) inc.equipment.add(s);
    const im = inc.impact;
    const hi = hyp.impact;
    im.spans = union(im.spans, hi.spans);
    im.nodes = union(im.nodes, hi.nodes);
    im.access = union(im.access, hi.access);
    im.equipment = union(im.equipment, hi.equipment);
    im.circuits = union(im.circuits, hi.circuits);
    im.touches = union(im.touches, hi.touches);
    for (const p of hi.power ?? []) if (!im.power.some((x) => x.site === p.site)) im.power.push(p);
    for (const [k, v] of Object.entries(hyp.detail)) {
      const cur = inc.detail[k];
      inc.detail[k] = Array.isArray(v) && Array.isArray(cur) ? union(cur as string[], v as string[]) : v;
    }
    if (inc.state === 'open') for (const e of hyp.explains) this.addResource(e, inc);
    for (const e of hyp.explains) inc.explains.add(e);
  }

  private assign(a: Alarm, inc: Incident, suppressed: boolean, ch: ChangeSet): void {
    if (a.due != null) {
      this.pending.delete(a);
      if (roleOf(a.type) === 'root') this.pendingRoots--;
      a.due = null;
    }
    if (a.incidentId === inc.id) {
      if (!suppressed && a.suppressed) {
        a.suppressed = false;
        inc.roots.add(a.id);
        ch.alarms.set(a.id, a);
      }
      return;
    }
    const old = a.incidentId ? this.incidents.get(a.incidentId) : undefined;
    if (old) {
      // Taking a root from another incident means that incident was part of this fault.
      this.merge(old, inc, ch);
      if (!suppressed && a.suppressed) { a.suppressed = false; inc.roots.add(a.id); }
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
    // The absorbing incident's own hypothesis says where the fault is; the absorbed one's
    // location and impact were a partial reading of the same fault and are not carried over.
    this.unregister(from);
    from.alarms.clear();
    from.roots.clear();
    from.state = 'cleared';
    from.clearedAt = from.clearedAt ?? from.openedAt;
    from.detail.mergedInto = into.id;
    from.impact = emptyImpact();
    this.clearedQueue.push({ id: from.id, at: from.clearedAt });
    ch.incidents.set(from.id, from);
    ch.incidents.set(into.id, into);
  }

  private refreshState(inc: Incident, ch: ChangeSet): void {
    if (inc.detail.mergedInto) return;
    let anyActive = false;
    let lastClear = 0;
    for (const id of inc.roots) {
      const a = this.ledger.get(id)!;
      if (a.state === 'active') { anyActive = true; break; }
      lastClear = Math.max(lastClear, a.clearedAt ?? 0);
    }
    if (!anyActive && inc.roots.size > 0 && inc.state === 'open') {
      inc.state = 'cleared';
      inc.clearedAt = lastClear;
      this.unregister(inc);
      this.clearedQueue.push({ id: inc.id, at: lastClear });
      ch.incidents.set(inc.id, inc);
    } else if (anyActive && inc.state === 'cleared') {
      this.reopen(inc);
      ch.incidents.set(inc.id, inc);
    }
  }

  private reopen(inc: Incident): void {
    inc.state = 'open';
    inc.clearedAt = null;
    this.register(inc);
  }

  private register(inc: Incident): void {
    if (!this.openByAnchor.has(inc.anchor)) this.openByAnchor.set(inc.anchor, inc);
    for (const e of inc.explains) this.addResource(e, inc);
  }

  private addResource(key: string, inc: Incident): void {
    const list = this.byResource.get(key);
    if (!list) this.byResource.set(key, [inc]);
    else if (!list.includes(inc)) list.push(inc);
  }

  private unregister(inc: Incident): void {
    if (this.openByAnchor.get(inc.anchor) === inc) this.openByAnchor.delete(inc.anchor);
    for (const e of inc.explains) {
      const list = this.byResource.get(e);
      if (!list) continue;
      const i = list.indexOf(inc);
      if (i >= 0) list.splice(i, 1);
      if (!list.length) this.byResource.delete(e);
    }
  }

  // ---- views and restore ---------------------------------------------------------------

  private out(ch: ChangeSet): CorrelationChanges {
    return {
      alarms: [...ch.alarms.values()].map((a) => this.alarmView(a)),
      incidents: [...ch.incidents.values()].map((i) => this.incidentView(i)),
    };
  }

  alarmView(a: Alarm): AlarmView {
    return this.ledger.view(a);
  }

  incidentView(i: Incident): IncidentView & { anchor: string; explains: string[] } {
    return {
      id: i.id, kind: i.kind, state: i.state, openedAt: iso(i.openedAt),
      clearedAt: i.clearedAt != null ? iso(i.clearedAt) : null,
      spans: [...i.spans], nodes: [...i.nodes], sites: [...i.sites], accessLinks: [...i.accessLinks],
      equipment: [...i.equipment], rootAlarmIds: [...i.roots], alarmCount: i.alarms.size,
      affectedCircuits: i.affectedCircuits, ticketId: i.ticketId, detail: { ...i.detail },
      impact: i.impact, anchor: i.anchor, explains: [...i.explains],
    };
  }

  /**
   * Rebuilds the incidents from persisted views (restart) and links the alarms the ledger
   * restored, through the same indexes the live path fills: the hold-down queue (alarms keep
   * their deadline), the symptoms waiting for a later cause, the cleared incidents to forget.
   */
  restore(alarms: readonly Alarm[], incidents: Array<IncidentView & { anchor?: string; explains?: string[] }>, now: number): void {
    for (const v of incidents) {
      const n = Number(v.id.slice(4));
      const inc: Incident = {
        n, id: v.id, kind: v.kind, anchor: v.anchor ?? `${v.kind}:${v.id}`, state: v.state,
        openedAt: Date.parse(v.openedAt), clearedAt: v.clearedAt ? Date.parse(v.clearedAt) : null,
        spans: new Set(v.spans), nodes: new Set(v.nodes), sites: new Set(v.sites), accessLinks: new Set(v.accessLinks),
        equipment: new Set(v.equipment), roots: new Set(v.rootAlarmIds), alarms: new Set(), explains: new Set(v.explains ?? []),
        impact: v.impact ?? emptyImpact(), detail: v.detail, affectedCircuits: v.affectedCircuits, ticketId: v.ticketId,
      };
      this.incidents.set(inc.id, inc);
      if (inc.state === 'open') this.register(inc);
      this.incidentSeq = Math.max(this.incidentSeq, n);
    }
    const cleared = [...this.incidents.values()].filter((i) => i.state === 'cleared').sort((x, y) => x.clearedAt! - y.clearedAt! || x.n - y.n);
    for (const i of cleared) this.clearedQueue.push({ id: i.id, at: i.clearedAt! });
    const waiting: Alarm[] = [];
    for (const a of alarms) {
      const inc = a.incidentId ? this.incidents.get(a.incidentId) : undefined;
      if (inc) {
        inc.alarms.add(a.id);
        if (inc.kind === 'unclassified' && inc.state === 'open' && a.state === 'active' && roleOf(a.type) !== 'root') this.indexOrphan(a);
      } else if (!a.incidentId) waiting.push(a);
    }
    waiting.sort((x, y) => (x.due ?? now) - (y.due ?? now) || x.n - y.n);
    for (const a of waiting) {
      a.due ??= now;
      this.pending.add(a);
      if (roleOf(a.type) === 'root') this.pendingRoots++;
    }
  }
}

// The incident registry: every incident by id; the open ones by anchor (the fault's identity),
// by the resource keys they explain, and their failed spans/nodes in the signal-flow index;
// the cleared ones in clearing order, to forget once they can no longer reopen. Pure.
import type { IncidentKind } from '../model.js';
import { emptyImpact, type Incident } from './incident.js';
import { SignalFlow } from './signal-flow.js';
import type { TopologyGraph } from '../topology/graph.js';

export class IncidentRegistry {
  private readonly all = new Map<string, Incident>();
  private readonly byAnchor = new Map<string, Incident>();
  private readonly byResource = new Map<string, Incident[]>();
  readonly flow: SignalFlow<Incident>;
  /** Cleared incidents in clearing order (processing time never goes back). */
  private readonly cleared: Array<{ id: string; at: number }> = [];
  private seq = 0;

  constructor(graph: TopologyGraph) {
    this.flow = new SignalFlow(graph);
  }

  get size(): number {
    return this.all.size;
  }
  get(id: string | null | undefined): Incident | undefined {
    return id ? this.all.get(id) : undefined;
  }
  values(): IterableIterator<Incident> {
    return this.all.values();
  }
  setIdBase(n: number): void {
    this.seq = Math.max(this.seq, n);
  }

  openByAnchor(anchor: string): Incident | undefined {
    return this.byAnchor.get(anchor);
  }
  /** The first open incident registered for a resource key (or with that anchor). */
  openFor(key: string): Incident | undefined {
    return this.byAnchor.get(key) ?? this.byResource.get(key)?.[0];
  }

  create(kind: IncidentKind, anchor: string, openedAt: number): Incident {
    const n = ++this.seq;
    const inc: Incident = {
      n,
      id: `INC-${n}`,
      kind,
      anchor,
      state: 'open',
      openedAt,
      clearedAt: null,
      spans: new Set(),
      nodes: new Set(),
      sites: new Set(),
      accessLinks: new Set(),
      equipment: new Set(),
      roots: new Set(),
      alarms: new Set(),
      explains: new Set(),
      impact: emptyImpact(),
      detail: {},
      affectedCircuits: [],
      impacts: [],
      ticketId: null,
      mergedInto: null,
      awaitingCauseUntil: null,
      causeSeen: false,
    };
    this.add(inc);
    return inc;
  }

  /** A known incident (created, or restored from its view). */
  add(inc: Incident): void {
    this.all.set(inc.id, inc);
    this.seq = Math.max(this.seq, inc.n);
    if (inc.state === 'open') this.register(inc);
    else this.cleared.push({ id: inc.id, at: inc.clearedAt ?? inc.openedAt });
  }

  /** Open again (its fault came back). */
  reopen(inc: Incident): void {
    inc.state = 'open';
    inc.clearedAt = null;
    this.register(inc);
  }

  /** Cleared (or merged away) at `at`: no longer explains anything. */
  close(inc: Incident, at: number): void {
    inc.state = 'cleared';
    inc.clearedAt = at;
    this.unregister(inc);
    this.cleared.push({ id: inc.id, at });
  }

  /** A resource key the open incident explains from now on. */
  explain(inc: Incident, key: string): void {
    inc.explains.add(key);
    if (inc.state !== 'open') return;
    const list = this.byResource.get(key);
    if (!list) this.byResource.set(key, [inc]);
    else if (!list.includes(inc)) list.push(inc);
  }

  /** Failed spans/nodes of the open incident, for signal flow. */
  fail(inc: Incident, spans: readonly string[], nodes: readonly string[]): void {
    if (inc.state !== 'open') return;
    for (const span of spans) this.flow.mark({ span }, inc);
    for (const node of nodes) this.flow.mark({ node }, inc);
  }

  /** Re-keys an open incident whose hypothesis changed (evidence grew). */
  reanchor(inc: Incident, anchor: string): void {
    if (this.byAnchor.get(inc.anchor) === inc) this.byAnchor.delete(inc.anchor);
    inc.anchor = anchor;
    if (inc.state === 'open' && !this.byAnchor.has(anchor)) this.byAnchor.set(anchor, inc);
  }

  /** An open incident decided again: it explains nothing and has failed nothing until then. */
  reset(inc: Incident, anchor: string): void {
    this.unregister(inc);
    inc.explains.clear();
    inc.impact = emptyImpact();
    inc.anchor = anchor;
  }

  /** Cleared incidents whose time to be forgotten has come, oldest first. */
  *forgettable(now: number, after: number): Generator<Incident> {
    while (this.cleared.length && now - this.cleared[0].at > after) {
      const { id } = this.cleared.shift()!;
      const inc = this.all.get(id);
      if (inc && inc.state === 'cleared') yield inc;
    }
  }
  forget(inc: Incident): void {
    this.all.delete(inc.id);
  }

  private register(inc: Incident): void {
    if (!this.byAnchor.has(inc.anchor)) this.byAnchor.set(inc.anchor, inc);
    for (const e of inc.explains) this.explain(inc, e);
    this.fail(inc, inc.impact.spans, inc.impact.nodes);
  }

  private unregister(inc: Incident): void {
    if (this.byAnchor.get(inc.anchor) === inc) this.byAnchor.delete(inc.anchor);
    for (const e of inc.explains) {
      const list = this.byResource.get(e);
      if (!list) continue;
      const i = list.indexOf(inc);
      if (i >= 0) list.splice(i, 1);
      if (!list.length) this.byResource.delete(e);
    }
    for (const span of inc.impact.spans) this.flow.unmark({ span }, inc);
    for (const node of inc.impact.nodes) this.flow.unmark({ node }, inc);
  }
}

// "Is this alarm explained, and by which open incident?" One question, answered by lookup:
// - a path-layer AIS/RDI on a ring or chain port: the nearest failure out through that port,
//   any number of hops (signal flow), then any failure upstream along the VC paths of the
//   circuits crossing that span, through gateways into other rings (path-flow.ts);
// - a section-layer alarm on a span port (MS-AIS, MS-RDI, ...): that span or the node behind it;
// - on an access port: the access link and its customer unit;
// - at a 2M drop: the circuit's access, customer equipment, active path and own 2M fault;
// - NE-UNREACHABLE: the node's own failure or power, or failures all round it (cut off);
// - anything on a node: that node's own failure; on customer equipment: its circuits' causes.
// The same places give the keys an unexplained symptom waits under (orphan index). Pure.
import { layerOf } from '../alarms/catalogue.js';
import type { Alarm } from '../alarms/ledger.js';
import type { TopologyGraph } from '../topology/graph.js';
import type { Incident } from './incident.js';
import { dropsOf } from './rules/drops.js';
import { PathFlow } from './path-flow.js';
import type { SignalFlow } from './signal-flow.js';
import { R } from './types.js';

type Cause = string | { upstream: { node: string; port: string } } | { isolated: string };

const MULTI_HOP = new Set(['high-order-path', 'low-order-path']);

export class Explainer {
  private readonly paths: PathFlow;

  constructor(
    private readonly graph: TopologyGraph,
    private readonly flow: SignalFlow<Incident>,
    private readonly registered: (key: string) => Incident | undefined,
    private readonly activePath: (circuit: string) => 'working' | 'protection',
  ) {
    this.paths = new PathFlow(graph);
  }

  explain(a: Alarm): Incident | undefined {
    for (const c of this.causes(a)) {
      const inc =
        typeof c === 'string'
          ? this.registered(c)
          : 'upstream' in c
            ? this.flow.upstream(c.upstream.node, c.upstream.port)
            : this.flow.isolated(c.isolated);
      if (inc) return inc;
    }
    return undefined;
  }

  /** The keys under which an unexplained symptom waits for its cause. */
  waitKeys(a: Alarm): string[] {
    const keys: string[] = [];
    for (const c of this.causes(a)) {
      if (typeof c === 'string') keys.push(c);
      else if ('upstream' in c) {
        const s = this.flow.segmentOf(c.upstream.node, c.upstream.port);
        if (s) keys.push(s);
      } else for (const s of this.graph.spansOfNode(c.isolated)) keys.push(...this.flow.segmentsOf({ span: s }));
    }
    return keys;
  }

  private causes(a: Alarm): Cause[] {
    const g = this.graph;
    const out: Cause[] = [];
    if (g.nodes.has(a.node)) {
      if (a.type === 'NE-UNREACHABLE') out.push({ isolated: a.node });
      if (a.port) {
        const span = g.spanAtPort(a.node, a.port);
        if (span && MULTI_HOP.has(layerOf(a.type))) {
          out.push({ upstream: { node: a.node, port: a.port } });
          out.push(...this.paths.keys(a.node, a.port, a.type.endsWith('-RDI')));
        } else if (span) out.push(R.span(span), R.node(g.farEnd(span, a.node)!.node));
        const acc = g.accessAtPort(a.node, a.port);
        if (acc) out.push(R.access(acc), R.eq(g.accessLinks.get(acc)!.cpe));
        for (const d of dropsOf(g, a)) this.circuitCauses(d.circuit, out);
      }
      out.push(R.node(a.node));
    } else if (g.equipment.has(a.node)) {
      out.push(R.eq(a.node));
      for (const cid of g.circuitsOfEquipment(a.node)) this.circuitCauses(cid, out);
    }
    return out;
  }

  private circuitCauses(cid: string, out: Cause[]): void {
    const g = this.graph;
    const c = g.circuits.get(cid);
    if (!c) return;
    for (const acc of c.access ?? []) out.push(R.access(acc));
    for (const e of c.equipment ?? []) out.push(R.eq(e));
    for (const acc of c.access ?? []) {
      const l = g.accessLinks.get(acc);
      if (l) out.push(R.eq(l.cpe));
    }
    const p = g.pathNodes(cid);
    for (const s of c.working) out.push(R.span(s));
    for (const nd of p.workingNodes) out.push(R.node(nd));
    if (this.activePath(cid) === 'protection') {
      for (const s of c.protect ?? []) out.push(R.span(s));
      for (const nd of p.protectNodes) out.push(R.node(nd));
    }
    out.push(R.ckt(cid));
  }
}

// Signal flow along circuits' VC paths, across gateways (G.783): a path-layer AIS/RDI on a port
// of one ring can come from a fault in another ring, carried through the gateway by the VC
// cross-connects of the circuits that use that port's span (working and protection paths both
// carry their VCs, whichever the selector picked). AIS travels downstream: looking out of the
// port, each such path continues upstream (the span, the node behind it, the next span, ... to
// the path's end), and a failure at any of them explains it. RDI comes back from the path's far
// end about what it receives, so the fault may lie anywhere on the path: the whole path. The resource keys upstream of a port are computed
// once per port (from the circuit index, never a scan) and kept. Pure.
import type { PathName, TopologyGraph } from '../topology/graph.js';
import { R } from './types.js';

export class PathFlow {
  private readonly cache = new Map<string, readonly string[]>();

  constructor(private readonly graph: TopologyGraph) {}

  /**
   * Resource keys (spans, nodes) upstream of a port along the circuits crossing its span (the
   * whole of those paths for a remote indication).
   */
  keys(node: string, port: string, whole: boolean): readonly string[] {
    const k = `${node}|${port}|${whole}`;
    let keys = this.cache.get(k);
    if (!keys) this.cache.set(k, (keys = this.compute(node, port, whole)));
    return keys;
  }

  private compute(node: string, port: string, whole: boolean): string[] {
    const g = this.graph;
    const span = g.spanAtPort(node, port);
    if (!span) return [];
    const out = new Set<string>();
    for (const path of ['working', 'protect'] as const satisfies readonly PathName[]) {
      for (const cid of g.circuitsOnSpan(span, path)) this.along(cid, path, span, whole ? undefined : node, out);
    }
    return [...out];
  }

  /** The part of one circuit path beyond `span` seen from `node` (all of it without), as resource keys. */
  private along(cid: string, path: PathName, span: string, node: string | undefined, out: Set<string>): void {
    const c = this.graph.circuits.get(cid)!;
    const spans = path === 'working' ? c.working : (c.protect ?? []);
    const p = this.graph.pathNodes(cid);
    const nodes = path === 'working' ? p.workingNodes : p.protectNodes;
    const i = spans.indexOf(span);
    if (i < 0) return;
    // nodes[i] and nodes[i + 1] are the ends of spans[i]: look away from `node`.
    const forward = nodes[i] === node;
    const back = node !== undefined && !forward;
    for (let j = forward ? i : 0; j <= (back ? i : spans.length - 1); j++) out.add(R.span(spans[j]));
    for (let j = forward ? i + 1 : 0; j <= (back ? i : nodes.length - 1); j++) out.add(R.node(nodes[j]));
  }
}

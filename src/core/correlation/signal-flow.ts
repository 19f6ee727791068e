// Signal flow along rings and linear chains (G.783): a defect that is passed on (AIS forward,
// RDI backward) is seen on a port facing the failure, any number of hops away. Every ring, and
// every chain of spans in no ring, is a segment of positions: node, span, node, span, ... An
// alarm on a port looks outward through that port; the nearest failed position in that
// direction explains it (a ring wraps round to the node itself; a chain stops at its end, where
// it meets a ring: the ring boundary). Failed positions are kept sorted per segment, so the
// lookup is a binary search per direction, never a walk. Pure.
import type { TopologyGraph } from '../topology/graph.js';

interface Segment {
  id: string;
  cyclic: boolean;
  /** Number of positions (2 × nodes for a ring, 2 × spans + 1 for a chain). */
  size: number;
  /** Failed positions, ascending, and what failed there. */
  failed: number[];
  at: Map<number, Set<unknown>>;
  /** End positions (chains) whose node has no other span: a dead end. */
  leaf: Set<number>;
}

interface Place {
  seg: Segment;
  pos: number;
}

export class SignalFlow<T> {
  private readonly spanPlace = new Map<string, Place>();
  private readonly nodePlaces = new Map<string, Place[]>();

  constructor(private readonly graph: TopologyGraph) {
    for (const r of graph.rings.values()) this.addRing(r.id, r.spans);
    this.addChains();
  }

  /** The segment a port's span lies on (orphaned symptoms wait under this key). */
  segmentOf(node: string, port: string): string | undefined {
    const span = this.graph.spanAtPort(node, port);
    return span ? this.spanPlace.get(span)?.seg.id : undefined;
  }

  /** Segments a span or node lies on. */
  segmentsOf(what: { span?: string; node?: string }): string[] {
    if (what.span) {
      const p = this.spanPlace.get(what.span);
      return p ? [p.seg.id] : [];
    }
    return (this.nodePlaces.get(what.node!) ?? []).map((p) => p.seg.id);
  }

  mark(what: { span?: string; node?: string }, by: T): void {
    for (const p of this.places(what)) {
      let s = p.seg.at.get(p.pos);
      if (!s) {
        p.seg.at.set(p.pos, (s = new Set()));
        p.seg.failed.splice(lowerBound(p.seg.failed, p.pos), 0, p.pos);
      }
      s.add(by);
    }
  }

  unmark(what: { span?: string; node?: string }, by: T): void {
    for (const p of this.places(what)) {
      const s = p.seg.at.get(p.pos);
      if (!s?.delete(by) || s.size) continue;
      p.seg.at.delete(p.pos);
      p.seg.failed.splice(lowerBound(p.seg.failed, p.pos), 1);
    }
  }

  /** The nearest failure seen looking out of `node` through `port` (along its ring or chain). */
  upstream(node: string, port: string): T | undefined {
    const span = this.graph.spanAtPort(node, port);
    const sp = span ? this.spanPlace.get(span) : undefined;
    if (!sp || !sp.seg.failed.length) return undefined;
    const seg = sp.seg;
    const own = (this.nodePlaces.get(node) ?? []).find((p) => p.seg === seg && adjacent(seg, p.pos, sp.pos))?.pos;
    if (own === undefined) return undefined;
    const dir = wrap(seg, own + 1) === sp.pos ? 1 : -1;
    const pos = this.nearest(seg, sp.pos, dir, own);
    return pos === undefined ? undefined : (seg.at.get(pos)!.values().next().value as T);
  }

  /**
   * A failure in every direction out of a node that leads to the rest of the network (a chain
   * running to a dead end leads nowhere): it is cut off, its management channel too.
   */
  isolated(node: string): T | undefined {
    let first: T | undefined;
    for (const s of this.graph.spansOfNode(node)) {
      const port = this.graph.portOn(s, node)!;
      if (this.deadEnd(node, s)) continue;
      const hit = this.upstream(node, port);
      if (hit === undefined) return undefined;
      first ??= hit;
    }
    return first;
  }

  /** Looking out of `node` along `span`, the chain ends at a leaf node. */
  private deadEnd(node: string, span: string): boolean {
    const sp = this.spanPlace.get(span);
    if (!sp || sp.seg.cyclic) return false;
    const own = (this.nodePlaces.get(node) ?? []).find((p) => p.seg === sp.seg && adjacent(sp.seg, p.pos, sp.pos))!.pos;
    const end = own < sp.pos ? sp.seg.size - 1 : 0;
    return sp.seg.leaf.has(end);
  }

  private nearest(seg: Segment, from: number, dir: 1 | -1, own: number): number | undefined {
    const f = seg.failed;
    if (dir === 1) {
      let i = lowerBound(f, from);
      if (!seg.cyclic) return f[i];
      for (let k = 0; k < Math.min(2, f.length); k++, i++) if (f[i % f.length] !== own) return f[i % f.length];
      return undefined;
    }
    let i = lowerBound(f, from + 1) - 1;
    if (!seg.cyclic) return i >= 0 ? f[i] : undefined;
    for (let k = 0; k < Math.min(2, f.length); k++, i--) {
      const p = f[(i + f.length) % f.length];
      if (p !== own) return p;
    }
    return undefined;
  }

  private places(what: { span?: string; node?: string }): Place[] {
    if (what.span) {
      const p = this.spanPlace.get(what.span);
      return p ? [p] : [];
    }
    return this.nodePlaces.get(what.node!) ?? [];
  }

  private newSegment(id: string, cyclic: boolean, size: number): Segment {
    return { id, cyclic, size, failed: [], at: new Map(), leaf: new Set() };
  }

  private addRing(id: string, spans: readonly string[]): void {
    const g = this.graph;
    const seg = this.newSegment(`ring:${id}`, true, 2 * spans.length);
    const first = g.spans.get(spans[0])!;
    const last = g.spans.get(spans[spans.length - 1])!;
    let node = first.a.node === last.a.node || first.a.node === last.z.node ? first.a.node : first.z.node;
    spans.forEach((sid, i) => {
      this.placeNode(node, seg, 2 * i);
      this.spanPlace.set(sid, { seg, pos: 2 * i + 1 });
      node = g.farEnd(sid, node)!.node;
    });
  }

  /** Spans in no ring, as maximal chains between ring nodes, branch points and leaves. */
  private addChains(): void {
    const g = this.graph;
    const linear = new Map<string, string[]>();
    for (const s of g.spans.values()) {
      if (g.ringOfSpan(s.id) !== undefined) continue;
      for (const n of [s.a.node, s.z.node]) linear.set(n, [...(linear.get(n) ?? []), s.id]);
    }
    const inner = (n: string) => linear.get(n)!.length === 2 && g.ringsOfNode(n).size === 0;
    const done = new Set<string>();
    const starts = [...linear.keys()].filter((n) => !inner(n));
    for (const start of [...starts, ...linear.keys()]) {
      for (const sid of linear.get(start)!) {
        if (done.has(sid)) continue;
        const seg = this.newSegment(`chain:${sid}`, false, 0);
        let node = start;
        let span: string | undefined = sid;
        let pos = 0;
        this.placeNode(node, seg, pos);
        while (span && !done.has(span)) {
          done.add(span);
          this.spanPlace.set(span, { seg, pos: ++pos });
          node = g.farEnd(span, node)!.node;
          this.placeNode(node, seg, ++pos);
          span = inner(node) ? linear.get(node)!.find((s) => !done.has(s)) : undefined;
        }
        seg.size = pos + 1;
        if (g.spansOfNode(start).length === 1) seg.leaf.add(0);
        if (g.spansOfNode(node).length === 1) seg.leaf.add(pos);
      }
    }
  }

  private placeNode(node: string, seg: Segment, pos: number): void {
    const list = this.nodePlaces.get(node);
    if (list) list.push({ seg, pos });
    else this.nodePlaces.set(node, [{ seg, pos }]);
  }
}

function wrap(seg: Segment, pos: number): number {
  return seg.cyclic ? (pos + seg.size) % seg.size : pos;
}

function adjacent(seg: Segment, nodePos: number, spanPos: number): boolean {
  return wrap(seg, nodePos + 1) === spanPos || wrap(seg, nodePos - 1) === spanPos;
}

function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

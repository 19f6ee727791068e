/** node -> port -> value, shared by validation and the graph: nested maps, no key strings to build (the 50k-circuit load is GC-bound). */
export class PortMap<V> {
  private readonly m = new Map<string, Map<string, V>>();
  get(node: string, port: string): V | undefined {
    return this.m.get(node)?.get(port);
  }
  set(node: string, port: string, v: V): void {
    let inner = this.m.get(node);
    if (!inner) this.m.set(node, (inner = new Map()));
    inner.set(port, v);
  }
  get size(): number {
    let n = 0;
    for (const inner of this.m.values()) n += inner.size;
    return n;
  }
}

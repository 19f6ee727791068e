// Helpers shared by the topology generators (demo and scale). Plain JS, no build needed.

/** A ring of nodes; span i joins nodes[i] and nodes[i+1] (wrapping). */
export function makeRing(id, protection, nodes, spanId, portsOf) {
  const spans = nodes.map((n, i) => {
    const m = nodes[(i + 1) % nodes.length];
    const [pa, pz] = portsOf(n, m, i);
    return { id: spanId(n, m, i), a: { node: n, port: pa }, z: { node: m, port: pz } };
  });
  return { ring: { id, protection, spans: spans.map((s) => s.id) }, spans, nodes };
}

/** Working (shorter) and protect (the other way round) span lists between two ring nodes. */
export function ringPaths(ring, from, to) {
  const k = ring.nodes.length;
  const i = ring.nodes.indexOf(from);
  const j = ring.nodes.indexOf(to);
  if (i < 0 || j < 0) throw new Error(`${from} or ${to} not on ring ${ring.ring.id}`);
  const cw = [];
  for (let x = i; x !== j; x = (x + 1) % k) cw.push(ring.spans[x].id);
  const ccw = [];
  for (let x = i; x !== j; x = (x - 1 + k) % k) ccw.push(ring.spans[(x - 1 + k) % k].id);
  return cw.length <= ccw.length ? { working: cw, protect: ccw } : { working: ccw, protect: cw };
}

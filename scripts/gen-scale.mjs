// Generates a large valid topology for benchmarks: `rings` rings of `ringSize` ADMs (half
// MS-SPRing, half SNCP), neighbouring rings joined by a linear span, sites with batteries,
// and `circuits` circuits spread over the rings.
// Run: node scripts/gen-scale.mjs [out.json] [--rings 500] [--ring-size 10] [--circuits 50000]
import { writeFileSync } from 'node:fs';
import { makeRing, ringPaths } from './topo-lib.mjs';

/** `protection`: 'mixed' (half MS-SPRing, half SNCP) or one kind for every ring. */
export function generateScale({ rings = 500, ringSize = 10, circuits = 50_000, protection = 'mixed' } = {}) {
  const nodes = [];
  const spans = [];
  const ringDocs = [];
  const sites = [];
  const built = [];
  for (let r = 0; r < rings; r++) {
    const ids = [];
    for (let k = 0; k < ringSize; k++) {
      const id = `R${r}-N${k}`;
      const site = `SITE-${r}-${k}`;
      sites.push({ id: site, batteryMinutes: 60 + ((r * 7 + k * 13) % 180) });
      nodes.push({ id, site });
      ids.push(id);
    }
    const ring = makeRing(
      `RING-${r}`,
      protection === 'mixed' ? (r % 2 ? 'sncp' : 'ms-spring') : protection,
      ids,
      (a, b) => `S-${a}-${b}`,
      () => ['1-1', '2-1'],
    );
    spans.push(...ring.spans);
    ringDocs.push(ring.ring);
    built.push(ring);
    if (r > 0)
      spans.push({
        id: `L-${r - 1}-${r}`,
        a: { node: `R${r - 1}-N5`, port: '7-1' },
        z: { node: `R${r}-N0`, port: '7-2' },
      });
  }
  const chan = new Map();
  const drop = (node) => {
    const n = (chan.get(node) ?? 0) + 1;
    chan.set(node, n);
    return { node, port: `4-${Math.ceil(n / 63)}`, channel: ((n - 1) % 63) + 1 };
  };
  const out = [];
  const prio = ['vip', 'high', 'normal', 'normal'];
  for (let i = 0; i < circuits; i++) {
    const ring = built[i % rings];
    const a = ring.nodes[(i * 3) % ringSize];
    let z = ring.nodes[(i * 7 + 1) % ringSize];
    if (z === a) z = ring.nodes[(ring.nodes.indexOf(a) + 1) % ringSize];
    const { working, protect } = ringPaths(ring, a, z);
    out.push({
      id: `C-${i}`,
      customer: `Customer ${i % 5000}`,
      priority: prio[i % 4],
      rate: 'E1',
      a: drop(a),
      z: drop(z),
      working,
      protect,
      protection: ring.ring.protection,
    });
  }
  return {
    network: `scale-${rings}x${ringSize}`,
    sites,
    nodes,
    spans,
    rings: ringDocs,
    equipment: [],
    accessLinks: [],
    circuits: out,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name, d) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'scale-topology.json';
  const doc = generateScale({
    rings: opt('--rings', 500),
    ringSize: opt('--ring-size', 10),
    circuits: opt('--circuits', 50_000),
  });
  writeFileSync(file, JSON.stringify(doc));
  console.log(
    `wrote ${file}: ${doc.nodes.length} nodes, ${doc.rings.length} rings, ${doc.spans.length} spans, ${doc.circuits.length} circuits`,
  );
}

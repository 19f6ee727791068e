// Benchmark: load + validate + index the generated 50,000-circuit topology (run by `npm run bench`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadTopologyFile } from './topology-file.js';
import type { TopologyGraph } from '../../core/topology/graph.js';
import { pct, r1, ROOT, summary, table, work } from '../../bench/lib.js';

// ---- 1. topology load ------------------------------------------------------------------
export async function scaleTopology(): Promise<{ file: string; graph: TopologyGraph }> {
  const { generateScale } = await import(join(ROOT, 'scripts/gen-scale.mjs'));
  const file = join(work, 'scale.json');
  writeFileSync(file, JSON.stringify(generateScale({ rings: 500, ringSize: 10, circuits: 50_000 })));
  const times: number[] = [];
  let graph: TopologyGraph | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = loadTopologyFile(file);
    times.push(performance.now() - t0);
    if (!r.ok) throw new Error('generated topology invalid: ' + JSON.stringify(r.problems.slice(0, 3)));
    graph = r.graph;
  }
  const sizes = graph!.indexSizes();
  table('topology: generated 500 rings x 10 ADMs, 50,000 circuits (parse + validate + index)', [
    {
      runs: 3,
      'min ms': r1(Math.min(...times)),
      'median ms': r1(pct(times, 50)),
      nodes: graph!.nodes.size,
      spans: graph!.spans.size,
      circuits: graph!.circuits.size,
    },
  ]);
  table('index sizes (entries)', [sizes]);
  summary.topologyLoadMs = r1(pct(times, 50));
  return { file, graph: graph! };
}

// ---- 1b. topology load at 2,400 rings from YAML (issue 18: < 5 s) ------------------------
export async function scaleTopologyYaml(): Promise<void> {
  const { generateScale } = await import(join(ROOT, 'scripts/gen-scale.mjs'));
  const { dump } = await import('js-yaml');
  const file = join(work, 'scale-2400.yaml');
  writeFileSync(file, dump(generateScale({ rings: 2400, ringSize: 10, circuits: 48_000 }), { noRefs: true }));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = loadTopologyFile(file);
  const cpu = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error('generated topology invalid: ' + JSON.stringify(r.problems.slice(0, 3)));
  table('topology: 2,400 rings x 10 ADMs, 48,000 circuits from YAML (read + parse + validate + index)', [
    { 'wall ms': r1(ms), 'cpu ms': r1((cpu.user + cpu.system) / 1000), circuits: r.graph.circuits.size },
  ]);
  summary.topologyYamlLoadMs = r1(ms);
}

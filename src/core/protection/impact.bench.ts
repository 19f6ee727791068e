// Benchmark: the impact of one failed span on the 50,000-circuit topology (run by `npm run bench`).
import { performance } from 'node:perf_hooks';
import type { IncidentView } from '../model.js';
import type { TopologyGraph } from '../topology/graph.js';
import { ProtectionEngine } from './engine.js';
import { pct, r1, summary, table } from '../../bench/lib.js';

// ---- 2. impact of one failed span --------------------------------------------------------
export function impactBench(graph: TopologyGraph): void {
  const p = new ProtectionEngine(graph, { switchTimeoutMs: 10_000, wtrMs: 300_000 });
  p.init(0);
  const spans = [...graph.spans.keys()].filter((s) => graph.ringOfSpan(s));
  const times: number[] = [];
  let affected = 0;
  const inc = (id: string, span: string, state: 'open' | 'cleared'): IncidentView => ({
    id,
    kind: 'span-cut',
    state,
    openedAt: '',
    clearedAt: null,
    spans: [span],
    nodes: [],
    sites: [],
    accessLinks: [],
    equipment: [],
    rootAlarmIds: [],
    alarmCount: 2,
    affectedCircuits: [],
    impacts: [],
    ticketId: null,
    mergedInto: null,
    awaitingCauseUntil: null,
    detail: {},
    impact: { spans: [span], nodes: [], access: [], equipment: [], circuits: [], touches: [], power: [] },
  });
  for (let i = 0; i < 1000; i++) {
    const s = spans[(i * 37) % spans.length];
    const t0 = performance.now();
    const r = p.applyIncident(inc(`I${i}`, s, 'open'), i);
    times.push(performance.now() - t0);
    affected += r.circuits.length;
    p.applyIncident(inc(`I${i}`, s, 'cleared'), i);
  }
  table('protection: impact of one failed span on the 50,000-circuit topology (1,000 spans)', [
    {
      'median µs': r1(pct(times, 50) * 1000),
      'p99 µs': r1(pct(times, 99) * 1000),
      'circuits re-evaluated (avg)': r1(affected / 1000),
    },
  ]);
  summary.spanImpactMedianUs = r1(pct(times, 50) * 1000);
}

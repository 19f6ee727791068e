// Benchmark: the storm of 500 ring cuts through the pipeline on virtual time (run by `npm run bench`).
import { performance } from 'node:perf_hooks';
import { VirtualTimeScheduler } from 'rxjs';
import { canonicalType, defaultSeverity } from '../core/alarms/catalogue.js';
import type { TopologyGraph } from '../core/topology/graph.js';
import { buildScenario } from '../simulation/scenarios.js';
import { Pipeline } from './pipeline.js';
import { r1, summary, table } from '../bench/lib.js';

// ---- 3. pipeline throughput and compression for the storm --------------------------------
export function pipelineBench(graph: TopologyGraph): void {
  const sched = new VirtualTimeScheduler();
  const p = new Pipeline(graph, sched, {
    holdDownMs: 2500,
    switchTimeoutMs: 10_000,
    wtrMs: 300_000,
    escalateAfterMs: 900_000,
  });
  let incidents = 0;
  const kinds = new Map<string, number>();
  p.output$.subscribe((o) => {
    for (const i of o.incidents)
      if (!kinds.has(i.id)) {
        kinds.set(i.id, 1);
        incidents++;
      }
  });
  const sc = buildScenario(graph, 'storm');
  // Symptoms too: TU-AIS/LP-RDI at the drops of up to 6 circuits per cut span.
  const events = [...sc.raise];
  for (const n of sc.raise) {
    if (n.kind !== 'raise') continue;
    const span = graph.spanAtPort(n.node, n.object);
    if (!span || graph.spans.get(span)!.a.node !== n.node) continue;
    for (const cid of [...graph.circuitsOnSpan(span, 'working')].slice(0, 6)) {
      const c = graph.circuits.get(cid)!;
      events.push(
        { kind: 'raise', node: c.z.node, object: `${c.z.port}:${c.z.channel}`, alarmName: 'TU_AIS' },
        { kind: 'raise', node: c.a.node, object: `${c.a.port}:${c.a.channel}`, alarmName: 'LP_RDI' },
      );
    }
  }
  const t0 = performance.now();
  let alarms = 0;
  for (const n of events) {
    if (n.kind === 'switch') p.push({ kind: 'switch', node: n.node, object: n.object, state: n.state, eventTime: 0 });
    else {
      alarms++;
      const type = canonicalType(n.alarmName);
      p.push({
        kind: 'raise',
        node: n.node,
        object: n.object,
        type,
        vendorName: n.alarmName,
        severity: defaultSeverity(type),
        eventTime: 0,
      });
    }
  }
  const tIngest = performance.now() - t0;
  sched.schedule(() => undefined, 3000);
  sched.maxFrames = 3000;
  const t1 = performance.now();
  sched.flush();
  const tDecide = performance.now() - t1;
  const total = tIngest + tDecide;
  const spanCuts = [...kinds.keys()]
    .map((id) => p.correlator.incident(id))
    .filter((i) => i?.kind === 'span-cut' && !i.mergedInto).length;
  table('pipeline (in process, virtual time): storm, one cut per ring on the 500-ring topology', [
    {
      events: events.length,
      alarms,
      incidents,
      'span-cut incidents': spanCuts,
      'alarms/incident': r1(alarms / Math.max(1, incidents)),
      'ingest ms': r1(tIngest),
      'decide ms': r1(tDecide),
      'events/s': Math.round(events.length / (total / 1000)),
    },
  ]);
  summary.pipelineEventsPerS = Math.round(events.length / (total / 1000));
  summary.stormIncidents = incidents;
  summary.stormCompression = r1(alarms / Math.max(1, incidents));
  p.close();
}

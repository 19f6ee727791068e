// Benchmark: the storm through the running service, until every ticket is visible over REST.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RgNotification } from './adapters/snmp/sender.js';
import type { TopologyGraph } from './core/topology/graph.js';
import { buildScenario } from './simulation/scenarios.js';
import {
  blast,
  metric,
  peakRss,
  preEncodeList,
  r1,
  sleep,
  startSvc,
  STORM_RATE,
  summary,
  table,
  work,
} from './bench/lib.js';

// ---- 5. storm through the service: 500 ring cuts -> 500 tickets over REST ----------------
export async function stormBench(file: string, graph: TopologyGraph): Promise<void> {
  const svc = await startSvc(file, join(work, 'storm.db'), ['--hold-down-ms', '2500']);
  const sc = buildScenario(graph, 'storm');
  // Pre-encoded, then sent paced at STORM_RATE: the notifications of 500 simultaneous cuts
  // (LOS both ends, ring switches, per-circuit SNCP switches).
  const serial = new Map<string, number>();
  const packets = await preEncodeList(
    sc.raise.map((n) => {
      const s = (serial.get(n.node) ?? 0) + 1;
      serial.set(n.node, s);
      return { ...n, eventTime: Date.now(), serial: s } as RgNotification;
    }),
  );
  const t0 = performance.now();
  await blast(svc.trap, packets, STORM_RATE, packets.length / STORM_RATE);
  const tSent = performance.now() - t0;
  let tickets = 0;
  while (performance.now() - t0 < 60_000) {
    const f = (await (await fetch(`http://127.0.0.1:${svc.http}/api/v1/tickets?since=0&limit=1000`)).json()) as {
      items: unknown[];
    };
    tickets = f.items.length;
    if (tickets >= sc.expect.incidents.length) break;
    await sleep(100);
  }
  const tAll = performance.now() - t0;
  const alarms = await metric(svc.http, 'ringguard_alarms_active');
  const incidents = await metric(svc.http, 'ringguard_incidents_open');
  const drops = await metric(svc.http, 'ringguard_kernel_drops_total');
  table(
    `storm through the service: one cut per ring on the 500-ring topology, sent at ${STORM_RATE / 1000}k/s (hold-down 2.5 s)`,
    [
      {
        notifications: packets.length,
        'send ms': Math.round(tSent),
        'kernel drops': drops,
        'tickets visible': tickets,
        'all tickets after ms': Math.round(tAll),
        'active alarms': alarms,
        'open incidents': incidents,
        'alarms/incident': r1(alarms / Math.max(1, incidents)),
        'peak RSS MiB': r1(peakRss(svc.proc.pid!)),
      },
    ],
  );
  summary.stormAllTicketsMs = Math.round(tAll);
  summary.stormTickets = tickets;
  await svc.stop();
}

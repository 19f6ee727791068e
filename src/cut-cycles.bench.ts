// Benchmark (issue 18): the ring-wide storm through the running service, side by side with
// Debian snmptrapd logging every varbind of the same stream to a file. A generated network of
// 300 MS-SPRing rings; in cycles one span of every ring is cut (LOS at both ends, the ring
// switch, TU-AIS/LP-RDI at the drops of every circuit working over it), then repaired (the
// clears, the switch back); per-NE serials; 100,000 traps paced. Measured: events *processed*
// by the pipeline (the latency histogram's count), not datagrams received.
import { spawn, spawnSync } from 'node:child_process';
import { statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AlarmNotification, RgNotification, SwitchNotification } from './adapters/snmp/sender.js';
import type { TopologyGraph } from './core/topology/graph.js';
import { loadTopologyFile } from './adapters/files/topology-file.js';
import {
  blast,
  freePort,
  histogram,
  histPct,
  metric,
  peakRss,
  preEncodeList,
  r1,
  ROOT,
  sleep,
  startSvc,
  summary,
  table,
  work,
} from './bench/lib.js';

export const CYCLE_TRAPS = 100_000;
const RATES = [10_000, 30_000] as const;
const HOLD_DOWN_MS = 1000;

/** A histogram bucket bound in ms; beyond the last bucket (10 s) as such. */
const ms = (s: number): string | number => (s === Infinity ? '> 10000' : r1(s * 1000));

const drop = (d: { port: string; channel?: number }) => (d.channel != null ? `${d.port}:${d.channel}` : d.port);

/** The storm: cut/repair cycles over every ring, `total` notifications with per-NE serials. */
export function cutCycles(graph: TopologyGraph, total: number): RgNotification[] {
  const serial = new Map<string, number>();
  const out: RgNotification[] = [];
  const add = (
    n: Omit<AlarmNotification, 'serial' | 'eventTime'> | Omit<SwitchNotification, 'serial' | 'eventTime'>,
  ) => {
    const s = (serial.get(n.node) ?? 0) + 1;
    serial.set(n.node, s);
    out.push({ ...n, eventTime: Date.now(), serial: s } as RgNotification);
  };
  for (let k = 0; out.length < total; k++) {
    const spans = graph.topology.rings.map((r) => graph.spans.get(r.spans[k % r.spans.length])!);
    for (const phase of ['cut', 'repair'] as const) {
      const kind = phase === 'cut' ? 'raise' : 'clear';
      const state = phase === 'cut' ? 'toProtection' : 'toWorking';
      for (const s of spans) {
        add({ kind, node: s.a.node, object: s.a.port, alarmName: 'R_LOS', severity: 'critical' });
        add({ kind, node: s.z.node, object: s.z.port, alarmName: 'R_LOS', severity: 'critical' });
        add({ kind: 'switch', node: s.a.node, object: s.a.port, state });
        add({ kind: 'switch', node: s.z.node, object: s.z.port, state });
        for (const id of graph.circuitsOnSpan(s.id, 'working')) {
          const c = graph.circuits.get(id)!;
          add({ kind, node: c.z.node, object: drop(c.z), alarmName: 'TU_AIS', severity: 'major' });
          add({ kind, node: c.a.node, object: drop(c.a), alarmName: 'LP_RDI', severity: 'minor' });
        }
      }
    }
  }
  return out.slice(0, total);
}

/**
 * Waits until `count()` stops moving (2 s still) or reaches `want`; returns it and when it last
 * moved. Polled every 250 ms: each /metrics scrape costs the service a GROUP BY over its circuits.
 */
async function settle(count: () => Promise<number>, want: number): Promise<{ got: number; tDone: number }> {
  let got = 0;
  let tDone = performance.now();
  for (let last = -1, still = 0; got < want && still < 8 && performance.now() - tDone < 60_000; await sleep(250)) {
    got = await count();
    if (got !== last) {
      tDone = performance.now();
      still = 0;
    } else still++;
    last = got;
  }
  return { got, tDone };
}

async function throughService(file: string, packets: Buffer[], rate: number): Promise<Record<string, string | number>> {
  const svc = await startSvc(file, join(work, `cycles-${rate}.db`), ['--hold-down-ms', String(HOLD_DOWN_MS)]);
  const processed = () => metric(svc.http, 'ringguard_pipeline_latency_seconds_count');
  const before = await processed();
  const t0 = performance.now();
  const { sent, secs } = await blast(svc.trap, packets, rate, packets.length / rate);
  const { got: done, tDone } = await settle(async () => (await processed()) - before, sent);
  const h = await histogram(svc.http, 'ringguard_pipeline_latency_seconds');
  const row = {
    offered: `${rate / 1000}k/s`,
    sent,
    'send s': r1(secs),
    processed: done,
    'loss %': r1((100 * (sent - done)) / sent),
    'kernel drops': await metric(svc.http, 'ringguard_kernel_drops_total'),
    'queue drops': await metric(svc.http, 'ringguard_ingest_queue_dropped_total'),
    'processed/s': Math.round(done / Math.max(secs, (tDone - t0) / 1000 - 0.1)),
    'p50 ms': ms(histPct(h, 50)),
    'p99 ms': ms(histPct(h, 99)),
    'open incidents': await metric(svc.http, 'ringguard_incidents_open'),
    'peak RSS MiB': r1(peakRss(svc.proc.pid!)),
  };
  await svc.stop();
  return row;
}

/** Debian snmptrapd writing every varbind of every trap to a file (one line per trap). */
async function throughSnmptrapd(packets: Buffer[], rate: number): Promise<Record<string, string | number>> {
  const conf = join(work, 'snmptrapd-full.conf');
  writeFileSync(conf, 'disableAuthorization yes\nformat2 %B [%b]: %V\\t %v\\n\n');
  const log = join(work, `snmptrapd-${rate}.log`);
  writeFileSync(log, '');
  const port = await freePort('udp');
  const td = spawn('snmptrapd', ['-f', '-C', '-c', conf, '-Lf', log, '-m', '', `udp:127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  await sleep(800);
  const base = statSync(log).size;
  const t0 = performance.now();
  const { sent, secs } = await blast(port, packets, rate, packets.length / rate);
  const { tDone } = await settle(async () => statSync(log).size - base, Infinity);
  td.kill('SIGTERM');
  await sleep(200);
  const text = readFileSync(log, 'utf8');
  let got = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) got++;
  got -= 1; // its start-up line
  return {
    offered: `${rate / 1000}k/s`,
    sent,
    logged: got,
    'loss %': r1((100 * (sent - got)) / sent),
    'logged/s': Math.round(got / Math.max(secs, (tDone - t0) / 1000 - 0.1)),
  };
}

/** 100,000 distinct minor alarms raised and left active (they open no incident): memory held by active alarms. */
async function activeAlarms(file: string, graph: TopologyGraph): Promise<Record<string, string | number>> {
  const nodes = [...graph.nodes.keys()];
  const serial = new Map<string, number>();
  const list: RgNotification[] = [];
  for (let i = 0; i < CYCLE_TRAPS; i++) {
    const node = nodes[i % nodes.length];
    const s = (serial.get(node) ?? 0) + 1;
    serial.set(node, s);
    const object = `9-${Math.floor(i / nodes.length)}`;
    list.push({
      kind: 'raise',
      node,
      object,
      alarmName: 'BER_SD',
      severity: 'minor',
      eventTime: Date.now(),
      serial: s,
    });
  }
  const packets = await encode(list);
  const svc = await startSvc(file, join(work, 'active.db'), ['--hold-down-ms', String(HOLD_DOWN_MS)]);
  const { sent } = await blast(svc.trap, packets, 10_000, packets.length / 10_000);
  await settle(() => metric(svc.http, 'ringguard_alarms_active'), sent);
  const row = {
    sent,
    'active alarms': await metric(svc.http, 'ringguard_alarms_active'),
    'kernel drops': await metric(svc.http, 'ringguard_kernel_drops_total'),
    'peak RSS MiB': r1(peakRss(svc.proc.pid!)),
  };
  await svc.stop();
  return row;
}

/** Encoded in slices: one capture socket would overflow with 100,000 at once on a busy machine. */
async function encode(list: RgNotification[]): Promise<Buffer[]> {
  const packets: Buffer[] = [];
  for (let i = 0; i < list.length; i += 5000) packets.push(...(await preEncodeList(list.slice(i, i + 5000))));
  if (packets.length < list.length) console.log(`\n(only ${packets.length} of ${list.length} traps encoded)`);
  return packets;
}

export async function cutCyclesBench(): Promise<void> {
  const { generateScale } = await import(join(ROOT, 'scripts/gen-scale.mjs'));
  const file = join(work, 'rings-300.json');
  writeFileSync(
    file,
    JSON.stringify(generateScale({ rings: 300, ringSize: 10, circuits: 30_000, protection: 'ms-spring' })),
  );
  const loaded = loadTopologyFile(file);
  if (!loaded.ok) throw new Error('generated topology invalid');
  const packets = await encode(cutCycles(loaded.graph, CYCLE_TRAPS));
  const rows = [];
  for (const rate of RATES) rows.push(await throughService(file, packets, rate));
  table(
    `storm of cut/repair cycles, 300 MS-SPRing rings, ${packets.length} traps through \`ringguard serve\` (hold-down ${HOLD_DOWN_MS} ms; processed = through the pipeline)`,
    rows,
  );
  summary.cycles = rows;
  const active = await activeAlarms(file, loaded.graph);
  table('100,000 distinct minor alarms raised at 10k/s and left active (300-ring network)', [active]);
  summary.activeAlarms = active;
  if (spawnSync('sh', ['-c', 'command -v snmptrapd']).status !== 0) {
    console.log('\n(snmptrapd not installed: apt-get install -y snmptrapd for the side-by-side rate)');
    return;
  }
  const side = [];
  for (const rate of RATES) side.push(await throughSnmptrapd(packets, rate));
  table('side by side: Debian snmptrapd logging every varbind of the same stream to a file', side);
  summary.cyclesSnmptrapd = side;
}

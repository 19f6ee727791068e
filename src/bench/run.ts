// `npm run bench`: bounded, loopback-only benchmarks that stop by themselves.
// Prints a table per section and a final one-line JSON summary.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import snmp from 'net-snmp';
import { VirtualTimeScheduler } from 'rxjs';
import { loadTopologyFile } from '../adapters/files/topology-file.js';
import { varbindsOf, type RgNotification } from '../adapters/snmp/sender.js';
import { Store } from '../adapters/store/sqlite.js';
import { canonicalType, defaultSeverity } from '../core/alarms/catalogue.js';
import type { AlarmView, IncidentView } from '../core/model.js';
import { ProtectionEngine } from '../core/protection/engine.js';
import type { TopologyGraph } from '../core/topology/graph.js';
import type { StoredTicket } from '../core/tickets/engine.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { buildScenario } from '../simulation/scenarios.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/cli/index.js');
const DEMO = join(ROOT, 'fixtures/demo-network.yaml');
const work = mkdtempSync(join(tmpdir(), 'rg-bench-'));
const summary: Record<string, unknown> = {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function table(title: string, rows: Array<Record<string, string | number>>): void {
  console.log(`\n## ${title}`);
  if (!rows.length) return;
  const cols = Object.keys(rows[0]);
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (vals: string[]) => '| ' + vals.map((v, i) => v.padEnd(w[i])).join(' | ') + ' |';
  console.log(line(cols));
  console.log('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
}
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const r1 = (x: number) => Math.round(x * 10) / 10;

async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'udp') {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const p = s.address().port;
    s.close();
    return p;
  }
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const p = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return p;
}

// ---- 1. topology load ------------------------------------------------------------------
async function scaleTopology(): Promise<{ file: string; graph: TopologyGraph }> {
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
    { runs: 3, 'min ms': r1(Math.min(...times)), 'median ms': r1(pct(times, 50)), nodes: graph!.nodes.size, spans: graph!.spans.size, circuits: graph!.circuits.size },
  ]);
  table('index sizes (entries)', [sizes]);
  summary.topologyLoadMs = r1(pct(times, 50));
  return { file, graph: graph! };
}

// ---- 2. impact of one failed span --------------------------------------------------------
function impactBench(graph: TopologyGraph): void {
  const p = new ProtectionEngine(graph, { switchTimeoutMs: 10_000, wtrMs: 300_000 });
  p.init(0);
  const spans = [...graph.spans.keys()].filter((s) => graph.ringOfSpan(s));
  const times: number[] = [];
  let affected = 0;
  const inc = (id: string, span: string, state: 'open' | 'cleared'): IncidentView => ({
    id, kind: 'span-cut', state, openedAt: '', clearedAt: null, spans: [span], nodes: [], sites: [], accessLinks: [], equipment: [],
    rootAlarmIds: [], alarmCount: 2, affectedCircuits: [], ticketId: null, detail: {},
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
    { 'median µs': r1(pct(times, 50) * 1000), 'p99 µs': r1(pct(times, 99) * 1000), 'circuits re-evaluated (avg)': r1(affected / 1000) },
  ]);
  summary.spanImpactMedianUs = r1(pct(times, 50) * 1000);
}

// ---- 3. pipeline throughput and compression for the storm --------------------------------
function pipelineBench(graph: TopologyGraph): void {
  const sched = new VirtualTimeScheduler();
  const p = new Pipeline(graph, sched, { holdDownMs: 2500, switchTimeoutMs: 10_000, wtrMs: 300_000, escalateAfterMs: 900_000 });
  let incidents = 0;
  const kinds = new Map<string, number>();
  p.output$.subscribe((o) => { for (const i of o.incidents) if (!kinds.has(i.id)) { kinds.set(i.id, 1); incidents++; } });
  const sc = buildScenario(graph, 'storm');
  // Symptoms too: TU-AIS/LP-RDI at the drops of up to 6 circuits per cut span.
  const events = [...sc.raise];
  for (const n of sc.raise) {
    if (n.kind !== 'raise') continue;
    const span = graph.spanAtPort(n.node, n.object);
    if (!span || graph.spans.get(span)!.a.node !== n.node) continue;
    for (const cid of [...graph.circuitsOnSpan(span, 'working')].slice(0, 6)) {
      const c = graph.circuits.get(cid)!;
      events.push({ kind: 'raise', node: c.z.node, object: `${c.z.port}:${c.z.channel}`, alarmName: 'TU_AIS' }, { kind: 'raise', node: c.a.node, object: `${c.a.port}:${c.a.channel}`, alarmName: 'LP_RDI' });
    }
  }
  const t0 = performance.now();
  let alarms = 0;
  for (const n of events) {
    if (n.kind === 'switch') p.push({ kind: 'switch', node: n.node, object: n.object, state: n.state, eventTime: 0 });
    else {
      alarms++;
      const type = canonicalType(n.alarmName);
      p.push({ kind: 'raise', node: n.node, object: n.object, type, vendorName: n.alarmName, severity: defaultSeverity(type), eventTime: 0 });
    }
  }
  const tIngest = performance.now() - t0;
  sched.schedule(() => undefined, 3000);
  sched.maxFrames = 3000;
  const t1 = performance.now();
  sched.flush();
  const tDecide = performance.now() - t1;
  const total = tIngest + tDecide;
  const spanCuts = [...p.correlator['incidents'].values()].filter((i: { kind: string; detail: Record<string, unknown> }) => i.kind === 'span-cut' && !i.detail.mergedInto).length;
  table('pipeline (in process, virtual time): storm, one cut per ring on the 500-ring topology', [
    { events: events.length, alarms, incidents, 'span-cut incidents': spanCuts, 'alarms/incident': r1(alarms / Math.max(1, incidents)), 'ingest ms': r1(tIngest), 'decide ms': r1(tDecide), 'events/s': Math.round(events.length / (total / 1000)) },
  ]);
  summary.pipelineEventsPerS = Math.round(events.length / (total / 1000));
  summary.stormIncidents = incidents;
  summary.stormCompression = r1(alarms / Math.max(1, incidents));
  p.close();
}

// ---- helpers for the service process ---------------------------------------------------
interface Svc { proc: ChildProcess; http: number; trap: number; stop(): Promise<void> }
async function startSvc(topology: string, db: string, extra: string[] = []): Promise<Svc> {
  const http = await freePort('tcp');
  const trap = await freePort('udp');
  const proc = spawn(process.execPath, [CLI, 'serve', '--topology', topology, '--db', db, '--http-port', String(http), '--trap-port', String(trap), '--log-level', 'warn', ...extra], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 300; i++) {
    try { const r = await fetch(`http://127.0.0.1:${http}/api/v1/health`); if (r.ok) break; } catch { /* starting */ }
    await sleep(50);
  }
  return {
    proc, http, trap,
    stop: () => new Promise<void>((resolve) => { proc.once('exit', () => resolve()); proc.kill('SIGTERM'); setTimeout(() => { proc.kill('SIGKILL'); resolve(); }, 10_000).unref(); }),
  };
}
async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}
async function histogram(port: number, name: string): Promise<Array<[number, number]>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)$`, 'gm'))].map((m) => [m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
}
function histPct(b: Array<[number, number]>, p: number): number {
  const total = b[b.length - 1]?.[1] ?? 0;
  const want = total * p / 100;
  for (const [le, c] of b) if (c >= want) return le;
  return Infinity;
}
function peakRss(pid: number): number {
  try { return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024; } catch { return 0; }
}

/** Encodes notifications as v2c traps with net-snmp, captured on a local socket (in order). */
async function preEncodeList(list: RgNotification[]): Promise<Buffer[]> {
  const cap = dgram.createSocket({ type: 'udp4', recvBufferSize: 64 << 20 });
  await new Promise<void>((r) => cap.bind(0, '127.0.0.1', () => r()));
  const out: Buffer[] = [];
  cap.on('message', (m) => out.push(m));
  const s = snmp.createSession('127.0.0.1', 'public', { trapPort: cap.address().port, version: snmp.Version2c });
  for (let i = 0; i < list.length; i++) {
    const { trapOid, varbinds } = varbindsOf(list[i]);
    s.trap(trapOid, varbinds as never, () => undefined);
    if (i % 200 === 199) await sleep(4);
  }
  for (let i = 0; i < 250 && out.length < list.length; i++) await sleep(20);
  s.close();
  cap.close();
  return out;
}

/** Distinct raise/clear traps spread over the nodes, serials per node. */
function preEncode(graph: TopologyGraph, count: number): Promise<Buffer[]> {
  const nodes = [...graph.nodes.keys()];
  const serial = new Map<string, number>();
  const list: RgNotification[] = [];
  for (let i = 0; i < count; i++) {
    const node = nodes[i % nodes.length];
    const k = Math.floor(i / nodes.length);
    const sn = (serial.get(node) ?? 0) + 1;
    serial.set(node, sn);
    list.push({ kind: k % 2 ? 'clear' : 'raise', node, object: `9-${(k >> 1) % 40}`, alarmName: 'BER_SD', severity: 'minor', eventTime: Date.now(), serial: sn });
  }
  return preEncodeList(list);
}

const STORM_RATE = 10_000;

async function blast(port: number, packets: Buffer[], rate: number | 'max', seconds: number): Promise<{ sent: number; secs: number }> {
  const sock = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 << 20 });
  const t0 = performance.now();
  let sent = 0;
  const total = rate === 'max' ? packets.length : Math.min(packets.length, Math.round(rate * seconds));
  // Paced in 5 ms slices (a sender that spins would take the service's core on a 2-core box).
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = (performance.now() - t0) / 1000;
      const due = rate === 'max' ? total : Math.min(total, Math.round(elapsed * rate));
      let burst = 0;
      while (sent < due && burst < 5000) { sock.send(packets[sent++], port, '127.0.0.1'); burst++; }
      if (sent >= total) return resolve();
      if (rate === 'max') setImmediate(tick);
      else setTimeout(tick, 5);
    };
    tick();
  });
  const secs = (performance.now() - t0) / 1000;
  await sleep(50);
  sock.close();
  return { sent, secs };
}

// ---- 4. ingest into the running service, and Debian snmptrapd on the same stream ----------
async function ingestBench(graph: TopologyGraph): Promise<void> {
  const packets = await preEncode(graph, 40_000);
  const rows: Array<Record<string, string | number>> = [];
  for (const rate of [10_000, 20_000, 'max'] as const) {
    const svc = await startSvc(DEMO, join(work, `ingest-${rate}.db`), ['--hold-down-ms', '500']);
    const stream = rate === 'max' ? packets : packets.slice(0, Math.min(packets.length, rate * 2));
    const before = await metric(svc.http, 'ringguard_traps_received_total');
    const { sent, secs } = await blast(svc.trap, stream, rate, 2);
    // Until the count stops moving: the time of its last increase ends the processing.
    let got = 0;
    const tStart = performance.now() - secs * 1000;
    let tDone = performance.now();
    for (let last = -1, still = 0; performance.now() - tDone < 15_000 && still < 3; await sleep(100)) {
      got = (await metric(svc.http, 'ringguard_traps_received_total')) - before;
      if (got !== last) { tDone = performance.now(); still = 0; } else still++;
      last = got;
    }
    const procSecs = Math.max(secs, (tDone - tStart) / 1000 - 0.1);
    const drops = await metric(svc.http, 'ringguard_kernel_drops_total');
    const h = await histogram(svc.http, 'ringguard_pipeline_latency_seconds');
    rows.push({
      rate: rate === 'max' ? 'max' : `${rate / 1000}k/s`, sent, 'send s': r1(secs), processed: got, 'loss %': r1(100 * (sent - got) / sent),
      'kernel drops': drops, 'processed/s': Math.round(got / procSecs),
      'p50 ms': r1(histPct(h, 50) * 1000), 'p99 ms': r1(histPct(h, 99) * 1000), 'peak RSS MiB': r1(peakRss(svc.proc.pid!)),
    });
    await svc.stop();
  }
  table('ingest: pre-encoded v2c traps over loopback into `ringguard serve` (separate process)', rows);
  summary.ingest = rows;

  // Debian snmptrapd on the same stream, one short line per trap.
  const has = spawnSync('sh', ['-c', 'command -v snmptrapd']).status === 0;
  if (!has) {
    console.log('\n(snmptrapd not installed: apt-get install -y snmptrapd for the side-by-side rate)');
    return;
  }
  const conf = join(work, 'snmptrapd.conf');
  writeFileSync(conf, 'disableAuthorization yes\nformat2 T\\n\n');
  const side: Array<Record<string, string | number>> = [];
  let theirs = 0;
  for (const rate of [10_000, 20_000, 'max'] as const) {
    const port = await freePort('udp');
    const td = spawn('snmptrapd', ['-f', '-C', '-c', conf, '-Lo', '-m', '', `udp:127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = 0;
    td.stdout!.on('data', (d: Buffer) => { for (const b of d) if (b === 10) lines++; });
    await sleep(800);
    const base = lines;
    const stream = rate === 'max' ? packets : packets.slice(0, Math.min(packets.length, rate * 2));
    const t0 = performance.now();
    const { sent, secs } = await blast(port, stream, rate, 2);
    let tDone = performance.now();
    for (let last = -1, still = 0; still < 3 && performance.now() - tDone < 15_000; await sleep(100)) {
      if (lines !== last) { tDone = performance.now(); still = 0; } else still++;
      last = lines;
    }
    td.kill('SIGTERM');
    const got = lines - base;
    const perS = Math.round(got / Math.max(secs, (tDone - t0) / 1000 - 0.1));
    if (rate === 'max') theirs = perS;
    const ours = rows.find((r) => r.rate === (rate === 'max' ? 'max' : `${rate / 1000}k/s`));
    side.push({ rate: rate === 'max' ? 'max' : `${rate / 1000}k/s`, sent, 'snmptrapd logged': got, 'snmptrapd loss %': r1(100 * (sent - got) / sent), 'snmptrapd/s': perS, 'ringguard loss %': ours?.['loss %'] ?? 'n/a', 'ringguard processed/s': ours?.['processed/s'] ?? 'n/a' });
  }
  table('side by side: Debian snmptrapd (one short line per trap) on the same streams', side);
  summary.snmptrapd = side;
  summary.snmptrapdPerS = theirs;
}

// ---- 5. storm through the service: 500 ring cuts -> 500 tickets over REST ----------------
async function stormBench(file: string, graph: TopologyGraph): Promise<void> {
  const svc = await startSvc(file, join(work, 'storm.db'), ['--hold-down-ms', '2500']);
  const sc = buildScenario(graph, 'storm');
  // Pre-encoded, then sent paced at STORM_RATE: the notifications of 500 simultaneous cuts
  // (LOS both ends, ring switches, per-circuit SNCP switches).
  const serial = new Map<string, number>();
  const packets = await preEncodeList(sc.raise.map((n) => {
    const s = (serial.get(n.node) ?? 0) + 1;
    serial.set(n.node, s);
    return { ...n, eventTime: Date.now(), serial: s } as RgNotification;
  }));
  const t0 = performance.now();
  await blast(svc.trap, packets, STORM_RATE, packets.length / STORM_RATE);
  const tSent = performance.now() - t0;
  let tickets = 0;
  while (performance.now() - t0 < 60_000) {
    const f = await (await fetch(`http://127.0.0.1:${svc.http}/api/v1/tickets?since=0&limit=1000`)).json() as { items: unknown[] };
    tickets = f.items.length;
    if (tickets >= sc.expect.incidents.length) break;
    await sleep(100);
  }
  const tAll = performance.now() - t0;
  const alarms = await metric(svc.http, 'ringguard_alarms_active');
  const incidents = await metric(svc.http, 'ringguard_incidents_open');
  const drops = await metric(svc.http, 'ringguard_kernel_drops_total');
  table(`storm through the service: one cut per ring on the 500-ring topology, sent at ${STORM_RATE / 1000}k/s (hold-down 2.5 s)`, [
    { notifications: packets.length, 'send ms': Math.round(tSent), 'kernel drops': drops, 'tickets visible': tickets, 'all tickets after ms': Math.round(tAll), 'active alarms': alarms, 'open incidents': incidents, 'alarms/incident': r1(alarms / Math.max(1, incidents)), 'peak RSS MiB': r1(peakRss(svc.proc.pid!)) },
  ]);
  summary.stormAllTicketsMs = Math.round(tAll);
  summary.stormTickets = tickets;
  await svc.stop();
}

// ---- 6. API throughput with 10k rows -------------------------------------------------------
async function apiBench(): Promise<void> {
  const db = join(work, 'api.db');
  const store = new Store(db);
  const alarms: AlarmView[] = [];
  const tickets: StoredTicket[] = [];
  for (let i = 1; i <= 10_000; i++) {
    alarms.push({ id: `ALM-${i}`, node: `XT-A${1 + (i % 6)}`, object: `9-${i % 40}`, type: 'UNKNOWN:BER_SD', vendorName: 'BER_SD', severity: 'minor', state: i % 3 ? 'active' : 'cleared', raisedAt: new Date(i * 1000).toISOString(), clearedAt: null, count: 1, incidentId: `INC-${i}`, suppressed: false, flapping: false });
    tickets.push({
      id: `TKT-${i}`, seq: i, incidentId: `INC-${i}`, kind: 'unclassified', title: 't', titles: { 'zh-CN': '未归类告警', en: 'Unclassified' }, priority: 'P4', state: 'open',
      affectedCircuits: [], customers: [], runbook: [], runbooks: { 'zh-CN': [{ step: 1, text: '研判' }], en: [{ step: 1, text: 'judge' }] },
      escalation: { level: 1, group: 'duty', reason: 'new ticket' }, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString(),
      resolvedAt: null, ackBy: null, ackAt: null, closedBy: null, escalateAt: null,
    });
  }
  store.writeBatch({ alarms, tickets });
  store.close();
  const svc = await startSvc(DEMO, db);
  const rows: Array<Record<string, string | number>> = [];
  for (const path of ['/api/v1/tickets?since=0&limit=100', '/api/v1/alarms?limit=100', '/api/v1/alarms?state=active&limit=100']) {
    const r = await autocannon({ url: `http://127.0.0.1:${svc.http}${path}`, connections: 10, duration: 5 });
    rows.push({ path, 'req/s (avg)': Math.round(r.requests.average), 'p50 ms': r.latency.p50, 'p99 ms': r.latency.p99, errors: r.errors + r.non2xx });
  }
  table('API: autocannon, 10 connections x 5 s, 10,000 alarms and 10,000 tickets in the database', rows);
  summary.api = rows;
  await svc.stop();
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`# ringguard benchmarks — ${new Date().toISOString()} — ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  const only = process.argv.slice(2);
  const want = (s: string) => !only.length || only.includes(s);
  const { file, graph } = await scaleTopology();
  if (want('impact')) impactBench(graph);
  if (want('pipeline')) pipelineBench(graph);
  const demo = loadTopologyFile(DEMO);
  if (!demo.ok) throw new Error('demo topology invalid');
  if (want('ingest')) await ingestBench(demo.graph);
  if (want('storm')) await stormBench(file, graph);
  if (want('api')) await apiBench();
  summary.totalS = r1((performance.now() - started) / 1000);
  console.log('\n' + JSON.stringify({ bench: 'ringguard', ...summary }));
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});

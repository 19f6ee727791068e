// Shared helpers of the benchmarks (`npm run bench`): output, percentiles, ports, the service
// process, its metrics, pre-encoded traps and a paced UDP sender. Loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import snmp from 'net-snmp';
import { varbindsOf, type RgNotification } from '../adapters/snmp/sender.js';
import type { TopologyGraph } from '../core/topology/graph.js';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const CLI = join(ROOT, 'dist/cli/index.js');
export const DEMO = join(ROOT, 'fixtures/demo-network.yaml');
export const work = mkdtempSync(join(tmpdir(), 'rg-bench-'));
export const summary: Record<string, unknown> = {};
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function table(title: string, rows: Array<Record<string, string | number>>): void {
  console.log(`\n## ${title}`);
  if (!rows.length) return;
  const cols = Object.keys(rows[0]);
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (vals: string[]) => '| ' + vals.map((v, i) => v.padEnd(w[i])).join(' | ') + ' |';
  console.log(line(cols));
  console.log('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
}
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
export const r1 = (x: number) => Math.round(x * 10) / 10;

export async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
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

// ---- helpers for the service process ---------------------------------------------------
export interface Svc {
  proc: ChildProcess;
  http: number;
  trap: number;
  stop(): Promise<void>;
}
export async function startSvc(topology: string, db: string, extra: string[] = []): Promise<Svc> {
  const http = await freePort('tcp');
  const trap = await freePort('udp');
  const proc = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--topology',
      topology,
      '--db',
      db,
      '--http-port',
      String(http),
      '--trap-port',
      String(trap),
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Ready when it says "listening": HTTP and the trap socket are both bound then.
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('service did not start within 30 s')), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      buf += String(d);
      if (buf.includes('"msg":"listening"')) {
        clearTimeout(timer);
        resolve();
      }
      if (buf.length > 1 << 20) buf = buf.slice(-4096);
    });
    proc.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
  });
  proc.stdout!.resume();
  return {
    proc,
    http,
    trap,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => {
          proc.kill('SIGKILL');
          resolve();
        }, 10_000).unref();
      }),
  };
}
export async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}
export async function histogram(port: number, name: string): Promise<Array<[number, number]>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)$`, 'gm'))].map((m) => [
    m[1] === '+Inf' ? Infinity : Number(m[1]),
    Number(m[2]),
  ]);
}
export function histPct(b: Array<[number, number]>, p: number): number {
  const total = b[b.length - 1]?.[1] ?? 0;
  const want = (total * p) / 100;
  for (const [le, c] of b) if (c >= want) return le;
  return Infinity;
}
export function peakRss(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return 0;
  }
}

/** Encodes notifications as v2c traps with net-snmp, captured on a local socket (in order). */
export async function preEncodeList(list: RgNotification[]): Promise<Buffer[]> {
  const cap = dgram.createSocket({ type: 'udp4', recvBufferSize: 64 << 20 });
  await new Promise<void>((r) => cap.bind(0, '127.0.0.1', () => r()));
  const out: Buffer[] = [];
  cap.on('message', (m) => out.push(m));
  const s = snmp.createSession('127.0.0.1', 'public', { trapPort: cap.address().port, version: snmp.Version2c });
  for (let i = 0; i < list.length; i++) {
    const { trapOid, varbinds } = varbindsOf(list[i]);
    s.trap(trapOid, varbinds, () => undefined);
    if (i % 200 === 199) await sleep(4);
  }
  for (let i = 0; i < 250 && out.length < list.length; i++) await sleep(20);
  s.close();
  cap.close();
  return out;
}

/** Distinct raise/clear traps spread over the nodes, serials per node. */
export function preEncode(graph: TopologyGraph, count: number): Promise<Buffer[]> {
  const nodes = [...graph.nodes.keys()];
  const serial = new Map<string, number>();
  const list: RgNotification[] = [];
  for (let i = 0; i < count; i++) {
    const node = nodes[i % nodes.length];
    const k = Math.floor(i / nodes.length);
    const sn = (serial.get(node) ?? 0) + 1;
    serial.set(node, sn);
    list.push({
      kind: k % 2 ? 'clear' : 'raise',
      node,
      object: `9-${(k >> 1) % 40}`,
      alarmName: 'BER_SD',
      severity: 'minor',
      eventTime: Date.now(),
      serial: sn,
    });
  }
  return preEncodeList(list);
}

export const STORM_RATE = 10_000;

export async function blast(
  port: number,
  packets: Buffer[],
  rate: number | 'max',
  seconds: number,
): Promise<{ sent: number; secs: number }> {
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
      while (sent < due && burst < 5000) {
        sock.send(packets[sent++], port, '127.0.0.1');
        burst++;
      }
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

// The event stream's limits on the whole service (a child process): 500 clients that never
// read, during a storm of traps. The service's memory stays under a stated bound, the slow
// clients are dropped (counted), and health still answers quickly.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import { freeTcpPort, freeUdpPort, sleep, waitFor } from './helpers/env.js';
import { serveCli } from './helpers/serve.js';

/** The bound the README states for 500 non-reading clients during a storm. */
const RSS_BOUND_MIB = 600;
const CLIENTS = 500;
const TRAPS = Number(process.env.RINGGUARD_SSE_STORM_TRAPS ?? 10_000);

const procs: ChildProcess[] = [];
const sockets: net.Socket[] = [];
afterAll(() => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** An event stream client that sends its request and never reads a byte. */
function deaf(port: number): void {
  const s = net.connect(port, '127.0.0.1', () =>
    s.write('GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n'),
  );
  s.pause();
  s.on('error', () => undefined);
  sockets.push(s);
}

const metric = async (port: number, name: string): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'gm'))].reduce((a, m) => a + Number(m[1]), 0);
};

describe('event stream limits on the service', () => {
  it(`${CLIENTS} clients that never read during a storm of ${TRAPS.toLocaleString('en')} traps: RSS under ${RSS_BOUND_MIB} MiB, health quick`, async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'rg-sse-')), 'rg.db');
    const [hp, tp] = [await freeTcpPort(), await freeUdpPort()];
    const svc = await serveCli(procs, hp, tp, ['--db', db, '--poll-interval-ms', '3600000']);
    const pid = svc.proc.pid!;
    for (let i = 0; i < CLIENTS; i++) deaf(hp);
    await waitFor(async () => (await metric(hp, 'ringguard_sse_clients')) >= CLIENTS, 30_000, `${CLIENTS} clients`);
    const rss0 = rssMiB(pid);
    let peak = rss0;
    let healthMax = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, rssMiB(pid));
        const t0 = performance.now();
        const h = await fetch(`http://127.0.0.1:${hp}/api/v1/health`);
        expect(h.status).toBe(200);
        healthMax = Math.max(healthMax, performance.now() - t0);
        await sleep(200);
      }
    })();
    // Alarms with 400 characters of text on one NE: each is an SSE event of ~1 KB for every
    // client; unbounded, 500 deaf clients would hold ~5 GB.
    const t = new TrapSender({ host: '127.0.0.1', port: tp, community: 'public' });
    const t0 = performance.now();
    for (let i = 1; i <= TRAPS; i++) {
      await t.notify({
        kind: 'raise',
        node: 'XT-A1',
        object: `9-${i}`,
        alarmName: 'R_LOS',
        eventTime: Date.now(),
        serial: i,
        text: 'x'.repeat(400),
      });
      if (i % 200 === 0) await sleep(5);
    }
    t.close();
    const stormS = (performance.now() - t0) / 1000;
    await waitFor(
      async () => (await metric(hp, 'ringguard_traps_received_total')) >= TRAPS * 0.95,
      60_000,
      'the storm received',
    );
    await sleep(2000);
    sampling = false;
    await sampler;
    peak = Math.max(peak, rssMiB(pid));
    const dropped = await metric(hp, 'ringguard_sse_dropped_total');
    console.log(
      `SSE on the service: ${CLIENTS} deaf clients, ${TRAPS} traps in ${stormS.toFixed(1)} s; RSS ${rss0.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB; slowest health ${healthMax.toFixed(0)} ms; ${dropped} clients dropped`,
    );
    expect(peak).toBeLessThan(RSS_BOUND_MIB);
    expect(healthMax).toBeLessThan(5000);
    expect(dropped).toBeGreaterThanOrEqual(CLIENTS * 0.9);
    svc.proc.kill('SIGTERM');
    expect(await svc.exit).toBe(0);
  }, 180_000);
});

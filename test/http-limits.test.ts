// HTTP limits, from outside: slow senders are cut off by the header and request timeouts, and
// tens of thousands of idle sockets cannot take REST down (the service as a child process).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HTTP_LIMITS } from '../src/adapters/api/app.js';
import { apiHarness, type ApiHarness } from './helpers/api.js';
import { freeTcpPort, freeUdpPort } from './helpers/env.js';
import { serveCli } from './helpers/serve.js';

const sockets: net.Socket[] = [];
const procs: ChildProcess[] = [];
let ctx: ApiHarness | undefined;
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await ctx?.close();
  ctx = undefined;
});
afterAll(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

/** Writes `first`, then nothing more; resolves with what the server sent and when it closed. */
function stall(port: number, first: string): Promise<{ text: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(first));
    sockets.push(s);
    let text = '';
    s.on('data', (d) => (text += String(d)));
    s.on('error', () => undefined);
    s.on('close', () => resolve({ text, ms: performance.now() - t0 }));
  });
}

/** Opens up to `n` TCP connections that never send a byte; returns those the kernel let us open. */
async function idleSockets(port: number, n: number): Promise<number> {
  let opened = 0;
  for (let i = 0; i < n; i += 500) {
    const batch = Array.from(
      { length: Math.min(500, n - i) },
      () =>
        new Promise<boolean>((resolve) => {
          const s = net.connect(port, '127.0.0.1');
          s.on('connect', () => resolve(true));
          s.on('error', () => resolve(false));
          s.on('close', () => resolve(false));
          sockets.push(s);
        }),
    );
    const r = await Promise.all(batch);
    const ok = r.filter(Boolean).length;
    opened += ok;
    if (!ok) break; // out of file descriptors or ports: that is what the machine allows
  }
  return opened;
}

describe('HTTP limits', () => {
  it('a slow body and slow headers are cut off with 400 in the error shape; a quick request is served', async () => {
    expect(HTTP_LIMITS).toMatchObject({ requestTimeout: 30_000, headersTimeoutMs: 10_000 });
    // The same limits, shorter, so the test does not wait 30 s.
    ctx = await apiHarness(undefined, { requestTimeout: 1500, headersTimeoutMs: 800 });
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (ctx.app.server.address() as net.AddressInfo).port;
    const [body, headers, silent] = await Promise.all([
      stall(
        port,
        'POST /api/v1/tickets/TKT-1/ack HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"by":',
      ),
      stall(port, 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: a'),
      stall(port, ''),
    ]);
    // A socket that never sends a byte is closed too.
    expect(silent.text).toMatch(/^$|^HTTP\/1\.1 400/);
    expect(silent.ms).toBeLessThan(5000);
    for (const r of [body, headers]) {
      expect(r.text).toMatch(/^HTTP\/1\.1 400/);
      expect(JSON.parse(r.text.slice(r.text.indexOf('\r\n\r\n') + 4))).toEqual({
        error: { code: 'BAD_REQUEST', message: 'request timed out' },
      });
    }
    // Cut off at the limit (checked every second), not left open.
    expect(body.ms).toBeGreaterThan(1400);
    expect(body.ms).toBeLessThan(4000);
    expect(headers.ms).toBeLessThan(3500);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
  }, 20_000);

  it('as many idle sockets as the machine allows cannot take REST down', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'rg-http-')), 'rg.db');
    const [hp, tp] = [await freeTcpPort(), await freeUdpPort()];
    const svc = await serveCli(procs, hp, tp, ['--db', db, '--poll-interval-ms', '3600000']);
    const want = Number(process.env.RINGGUARD_IDLE_SOCKETS ?? 20_000);
    const t0 = performance.now();
    const opened = await idleSockets(hp, want);
    const openS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const health = await fetch(`http://127.0.0.1:${hp}/api/v1/health`);
    const alarms = await fetch(`http://127.0.0.1:${hp}/api/v1/alarms?limit=1`);
    const ms = performance.now() - t1;
    const fds = readdirSync(`/proc/${svc.proc.pid}/fd`).length;
    console.log(
      `HTTP: ${opened} idle sockets opened in ${openS.toFixed(1)} s (of ${want} tried); health and alarms answered in ${ms.toFixed(0)} ms; the service holds ${fds} file descriptors`,
    );
    expect(opened).toBeGreaterThan(5000);
    expect(health.status).toBe(200);
    expect(alarms.status).toBe(200);
    expect(ms).toBeLessThan(2000);
    // At most the connection limit is held, whatever the number of idle sockets.
    expect(fds).toBeLessThan(2_300);
    svc.proc.kill('SIGTERM');
    expect(await svc.exit).toBe(0);
  }, 120_000);
});

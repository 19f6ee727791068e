// End to end through real sockets: the CLI service process, traps in (ringguard simulate),
// tickets out over HTTP, the feed exactly once across a restart, SSE, SIGTERM exit 0.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveCli, type Svc } from './helpers/serve.js';
import { freeTcpPort, freeUdpPort, run, waitFor } from './helpers/env.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = ['--import', 'tsx', join(ROOT, 'src/cli/index.ts')];
const procs: ChildProcess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

async function serve(db: string, http: number, trap: number, extra: string[] = []): Promise<Svc> {
  return serveCli(procs, http, trap, ['--db', db, ...extra]);
}

async function get(port: number, path: string): Promise<any> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  return r.json();
}

describe('service end to end', () => {
  it('traps in -> ticket out over HTTP; feed exactly once across a restart; SIGTERM exits 0', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'rg-e2e-')), 'rg.db');
    const [hp, tp] = [await freeTcpPort(), await freeUdpPort()];
    let svc = await serve(db, hp, tp);
    const listening = JSON.parse(svc.log.find((l) => l.includes('"msg":"listening"'))!);
    expect(listening).toMatchObject({ msg: 'listening', httpPort: hp, trapPort: tp });

    const sim = await run(process.execPath, [...CLI, 'simulate', 'span-cut', '--target', `127.0.0.1:${tp}`], 20_000);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stdout).toMatch(/sent \d+ notifications/);

    const seen = new Map<number, string>();
    let cursor = 0;
    const pull = async () => {
      const f = await get(hp, `/api/v1/tickets?since=${cursor}`);
      for (const t of f.items) {
        expect(seen.has(t.seq), `seq ${t.seq} delivered twice`).toBe(false);
        seen.set(t.seq, t.id);
      }
      cursor = f.cursor;
      return f.items.length;
    };
    await waitFor(async () => (await pull()) > 0 || seen.size > 0, 10_000, 'first ticket');
    const inc = (await get(hp, '/api/v1/incidents?state=open')).items;
    expect(inc).toHaveLength(1);
    expect(inc[0].kind).toBe('span-cut');
    await pull();
    const before = seen.size;

    svc.proc.kill('SIGTERM');
    expect(await svc.exit).toBe(0);
    expect(svc.log.some((l) => l.includes('"msg":"stopped"'))).toBe(true);

    // Restart on the same database: state is back, the feed goes on from the same cursor.
    svc = await serve(db, hp, tp);
    expect((await get(hp, '/api/v1/incidents?state=open')).items.map((i: { id: string }) => i.id)).toEqual([inc[0].id]);
    expect(await pull()).toBe(0);
    expect(seen.size).toBe(before);
    const circuits = (await get(hp, '/api/v1/circuits?state=on-protection')).items;
    expect(circuits.length).toBeGreaterThan(0);

    // A new change after the restart appears once.
    const ticketId = [...seen.values()][0];
    const ack = await fetch(`http://127.0.0.1:${hp}/api/v1/tickets/${ticketId}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'noc-zhang' }),
    });
    expect(ack.status).toBe(200);
    expect(await pull()).toBe(1);
    expect(await pull()).toBe(0);
    svc.proc.kill('SIGINT');
    expect(await svc.exit).toBe(0);
  }, 150_000);

  it('streams alarm, incident, circuit and ticket events over SSE', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'rg-e2e-')), 'rg.db');
    const [hp, tp] = [await freeTcpPort(), await freeUdpPort()];
    const svc = await serve(db, hp, tp);
    const events: string[] = [];
    const req = http.get({ host: '127.0.0.1', port: hp, path: '/api/v1/events' }, (res) => {
      expect(res.headers['content-type']).toMatch(/text\/event-stream/);
      res.on('data', (d) => {
        for (const m of String(d).matchAll(/^event: (\w+)$/gm)) events.push(m[1]);
      });
    });
    await waitFor(() => events.includes('hello'), 5000, 'SSE hello');
    const sim = await run(process.execPath, [...CLI, 'simulate', 'e1-fault', '--target', `127.0.0.1:${tp}`], 20_000);
    expect(sim.code, sim.stderr).toBe(0);
    await waitFor(
      () => ['alarm', 'incident', 'circuit', 'ticket'].every((e) => events.includes(e)),
      10_000,
      `all event kinds (got ${events.join(',')})`,
    );
    req.destroy();
    svc.proc.kill('SIGTERM');
    expect(await svc.exit).toBe(0);
  }, 150_000);

  it('topology check: a summary and exit 0, or one line per problem and exit 1', async () => {
    const ok = await run(
      process.execPath,
      [...CLI, 'topology', 'check', join(ROOT, 'fixtures/demo-network.yaml')],
      20_000,
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')).toEqual([
      'ok: network xiangtan-demo: 2 rings, 11 nodes, 13 spans, 24 circuits, 18 access links, 54 equipment, 11 sites',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'rg-topo-'));
    const broken = join(dir, 'broken.yaml');
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(
      broken,
      readFileSync(join(ROOT, 'fixtures/demo-network.yaml'), 'utf8')
        .replace('working: [ S-A1-A2, S-A2-A3 ]', 'working: [ S-A1-A2, S-9 ]')
        .replace('- { id: XT-A2, site: SITE-BS-014 }', '- { id: XT-A2, site: SITE-NOPE }'),
    );
    const bad = await run(process.execPath, [...CLI, 'topology', 'check', broken], 20_000);
    expect(bad.code).toBe(1);
    const lines = bad.stdout.trim().split('\n');
    // The contract's `path: message`, then the element by id, to find it in the file.
    expect(lines).toContain('circuits[0].working[1]: span "S-9" does not exist (circuit CKT-0001)');
    expect(lines).toContain('nodes[1].site: site "SITE-NOPE" does not exist (node XT-A2)');
    const notYaml = join(dir, 'x.yaml');
    writeFileSync(notYaml, 'nodes: [ {');
    const nv = await run(process.execPath, [...CLI, 'topology', 'check', notYaml], 20_000);
    expect(nv.code).toBe(1);
    expect(nv.stdout).toMatch(/not valid YAML/);
  }, 150_000);

  it('refuses a broken topology with one line per problem and a bad option with exit 2', async () => {
    const bad = await run(process.execPath, [...CLI, 'serve', '--hold-down-ms', '-5'], 20_000);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--hold-down-ms/);
  }, 30_000);
});

// Planned works end to end: the CLI service with a works file, a real span cut sent as SNMP
// traps inside the window, the audit line of a person ending it, a restart that adds nothing twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freeTcpPort, freeUdpPort, run, waitFor } from './helpers/env.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = ['--import', 'tsx', join(ROOT, 'src/cli/index.ts')];
const procs: ChildProcess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

function serve(args: string[]): { proc: ChildProcess; log: string[]; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, [...CLI, 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  const log: string[] = [];
  proc.stdout!.on('data', (d) => log.push(...String(d).split('\n').filter(Boolean)));
  proc.stderr!.on('data', (d) => log.push(String(d)));
  return { proc, log, exit: new Promise((r) => proc.on('exit', (code) => r(code))) };
}

const get = async (port: number, path: string) =>
  (await fetch(`http://127.0.0.1:${port}${path}`)).json() as Promise<any>;

describe('planned works end to end', () => {
  it('a works file at start, a real cut inside the window, ended by a person (audited), nothing added twice on restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-mw-e2e-'));
    const works = join(dir, 'works.yaml');
    const now = Date.now();
    writeFileSync(
      works,
      `works:
  - reference: CHG-E2E-1
    targets: { spans: [S-A1-A2] }
    from: ${new Date(now - 60_000).toISOString()}
    to: ${new Date(now + 3_600_000).toISOString()}
    reason: 光缆迁改
    by: eng-li
`,
    );
    const [hp, tp] = [await freeTcpPort(), await freeUdpPort()];
    const args = [
      '--db',
      join(dir, 'rg.db'),
      '--http-port',
      String(hp),
      '--trap-port',
      String(tp),
      '--hold-down-ms',
      '400',
      '--maintenance',
      works,
    ];
    let svc = serve(args);
    await waitFor(() => svc.log.some((l) => l.includes('"msg":"listening"')), 60_000, 'listening');
    expect(svc.log.some((l) => l.includes('"msg":"planned works loaded"') && l.includes('CHG-E2E-1'))).toBe(true);
    expect((await get(hp, '/api/v1/maintenance?state=active')).items).toMatchObject([
      { id: 'MW-1', reference: 'CHG-E2E-1', state: 'active' },
    ]);

    const sim = await run(
      process.execPath,
      [...CLI, 'simulate', 'span-cut', '--span', 'S-A1-A2', '--target', `127.0.0.1:${tp}`],
      20_000,
    );
    expect(sim.code, sim.stderr).toBe(0);
    const t = await waitFor(async () => (await get(hp, '/api/v1/tickets?kind=span-cut')).items[0], 10_000, 'ticket');
    expect(t).toMatchObject({ planned: true, maintenance: 'MW-1' });
    expect((await get(hp, `/api/v1/incidents/${t.incidentId}`)).maintenance).toBe('MW-1');

    const del = await fetch(`http://127.0.0.1:${hp}/api/v1/maintenance/MW-1`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'eng-li' }),
    });
    expect(del.status).toBe(200);
    expect(await get(hp, `/api/v1/tickets/${t.id}`)).toMatchObject({ planned: false, overran: true });
    const audit = svc.log
      .map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return {};
        }
      })
      .find((l) => l.msg === 'audit');
    expect(audit).toMatchObject({
      audit: 'maintenance.end',
      target: 'MW-1',
      by: 'eng-li',
      ip: '127.0.0.1',
      status: 200,
    });

    svc.proc.kill('SIGTERM');
    expect(await svc.exit).toBe(0);
    svc = serve(args);
    await waitFor(() => svc.log.some((l) => l.includes('"msg":"listening"')), 60_000, 'listening again');
    expect((await get(hp, '/api/v1/maintenance')).items.map((w: { id: string }) => w.id)).toEqual(['MW-1']);
    expect((await get(hp, `/api/v1/tickets/${t.id}`)).journal.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['created', 'planned', 'overran']),
    );
  }, 180_000);

  it('a broken works file stops the start, naming the problem with its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-mw-bad-'));
    const works = join(dir, 'works.yaml');
    writeFileSync(
      works,
      'works:\n  - { reference: X, targets: { spans: [S-9] }, from: 2026-11-30T00:00:00Z, to: 2026-11-30T01:00:00Z, reason: r, by: b }\n',
    );
    const svc = serve([
      '--db',
      join(dir, 'rg.db'),
      '--http-port',
      '0',
      '--trap-port',
      String(await freeUdpPort()),
      '--maintenance',
      works,
    ]);
    expect(await svc.exit).not.toBe(0);
    expect(svc.log.join('')).toContain(`${works}: works[0].targets.spans[0]: span "S-9" does not exist`);
  }, 30_000);
});

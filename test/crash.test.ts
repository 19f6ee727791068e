// SIGKILL during a storm of INFORMs: every INFORM the service answered has its alarm in the
// database after the restart (answers wait for the intake journal's commit).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTopologyOrThrow } from '../src/adapters/files/topology-file.js';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import { DEMO } from './helpers/harness.js';
import { freeTcpPort, freeUdpPort, sleep, waitFor } from './helpers/env.js';

const ROOT = new URL('..', import.meta.url).pathname;
const procs: ChildProcess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

async function serve(db: string, http: number, trap: number): Promise<{ proc: ChildProcess; log: string[] }> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src/cli/index.ts'),
      'serve',
      '--db',
      db,
      '--http-port',
      String(http),
      '--trap-port',
      String(trap),
      '--hold-down-ms',
      '200',
      '--poll-interval-ms',
      '3600000',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  procs.push(proc);
  const log: string[] = [];
  proc.stdout!.on('data', (d) => log.push(...String(d).split('\n').filter(Boolean)));
  proc.stderr!.on('data', (d) => log.push(String(d)));
  await waitFor(() => log.some((l) => l.includes('"msg":"listening"')), 30_000, `listening (log: ${log.join('\n')})`);
  return { proc, log };
}

const NODES = [...loadTopologyOrThrow(DEMO).nodes.keys()];

describe('crash safety', () => {
  it('SIGKILL mid-storm of INFORMs: every answered INFORM has its alarm after the restart', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'rg-crash-')), 'rg.db');
    const [hp, tp] = [await freeTcpPort(), await freeUdpPort()];
    let svc = await serve(db, hp, tp);
    const answered = new Set<string>();
    const sender = new TrapSender({ host: '127.0.0.1', port: tp, community: 'public', inform: true, timeoutMs: 1000 });
    const N = 4000;
    let killedAt = -1;
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < N && killedAt < 0; i++) {
      const node = NODES[i % NODES.length];
      const object = `9-${Math.floor(i / NODES.length) + 1}`;
      const p = sender
        .notify({
          kind: 'raise',
          node,
          object,
          alarmName: 'R_LOS',
          eventTime: Date.now(),
          serial: Math.floor(i / NODES.length) + 1,
        })
        .then(
          () => {
            answered.add(`${node}|${object}`);
          },
          () => undefined,
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      while (inFlight.size >= 200) await Promise.race(inFlight);
      if (answered.size >= 1500 && killedAt < 0) {
        svc.proc.kill('SIGKILL');
        killedAt = i;
      }
    }
    expect(killedAt, 'killed mid-storm').toBeGreaterThan(0);
    await new Promise((r) => svc.proc.once('exit', r));
    const atKill = new Set(answered);
    await Promise.allSettled([...inFlight]);
    sender.close();
    // Answers that were already on the wire when the process died are answered too.
    for (const k of answered) atKill.add(k);

    svc = await serve(db, hp, tp);
    const check = new Database(db, { readonly: true });
    try {
      const stored = () =>
        new Set(
          (
            check.prepare(`SELECT node, json_extract(body, '$.object') o FROM alarms`).all() as Array<{
              node: string;
              o: string;
            }>
          ).map((r) => `${r.node}|${r.o}`),
        );
      await waitFor(() => [...atKill].every((k) => stored().has(k)), 20_000, 'every answered INFORM stored').catch(
        () => undefined,
      );
      const have = stored();
      const lost = [...atKill].filter((k) => !have.has(k));
      console.log(
        `crash test: ${atKill.size} INFORMs answered before SIGKILL (of ${killedAt + 1} sent), ${have.size} alarms after restart, ${lost.length} answered but lost`,
      );
      expect(lost).toEqual([]);
    } finally {
      check.close();
    }
    svc.proc.kill('SIGTERM');
    await sleep(100);
  }, 120_000);
});

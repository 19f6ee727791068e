// Topology without restart: POST /api/v1/topology/reload (engineer) and SIGHUP read the file
// again and swap it in, keeping the state of what still exists; a bad file changes nothing.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import { resolveConfig } from '../src/cli/config.js';
import { startService, type Service } from '../src/service.js';
import { freeTcpPort, freeUdpPort, waitFor } from './helpers/env.js';
import { serveCli } from './helpers/serve.js';

/**
 * A ring N1-N2-N3-N4 (MS-SPRing) and a linear tail N4-N5. C1 N1->N3 is protected; C3 runs
 * on the tail. `tail: false` drops N5 with its span and circuit; `extra` adds circuit C4.
 */
function network(o: { tail?: boolean; extra?: boolean; broken?: boolean } = {}): string {
  const tail = o.tail ?? true;
  return `network: reload-test
nodes:
  - { id: N1 }
  - { id: N2 }
  - { id: N3 }
  - { id: N4 }
${tail ? '  - { id: N5 }\n' : ''}spans:
  - { id: S12, a: { node: N1, port: "1-1" }, z: { node: N2, port: "2-1" } }
  - { id: S23, a: { node: N2, port: "1-1" }, z: { node: N3, port: "2-1" } }
  - { id: S34, a: { node: N3, port: "1-1" }, z: { node: N4, port: "2-1" } }
  - { id: S41, a: { node: N4, port: "1-1" }, z: { node: N1, port: "2-1" } }
${tail ? '  - { id: S45, a: { node: N4, port: "7-1" }, z: { node: N5, port: "7-1" } }\n' : ''}rings:
  - { id: R1, protection: ms-spring, spans: [S12, S23, S34, S41] }
circuits:
  - { id: C1, customer: Steel, priority: vip, protection: ms-spring, a: { node: N1, port: "4-1", channel: 1 }, z: { node: N3, port: "4-1", channel: 1 }, working: [S12, ${o.broken ? 'S-9' : 'S23'}], protect: [S41, S34] }
  - { id: C2, customer: Bank, priority: high, protection: ms-spring, a: { node: N2, port: "4-1", channel: 1 }, z: { node: N4, port: "4-1", channel: 1 }, working: [S23, S34], protect: [S12, S41] }
${tail ? '  - { id: C3, customer: Mine, priority: normal, protection: none, a: { node: N4, port: "4-1", channel: 2 }, z: { node: N5, port: "4-1", channel: 1 }, working: [S45] }\n' : ''}${o.extra ? '  - { id: C4, customer: Port, priority: high, protection: ms-spring, a: { node: N1, port: "4-1", channel: 2 }, z: { node: N2, port: "4-1", channel: 2 }, working: [S12], protect: [S41, S34, S23] }\n' : ''}`;
}

const TOKENS = 'engineer:eng-token,operator:op-token';
let svc: Service | undefined;
afterEach(async () => {
  await svc?.stop();
  svc = undefined;
});

async function start(file: string): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-reload-'));
  const cfg = resolveConfig(
    {
      db: join(dir, 'rg.db'),
      httpPort: String(await freeTcpPort()),
      trapPort: String(await freeUdpPort()),
      holdDownMs: '200',
      pollIntervalMs: '3600000',
      topology: file,
    },
    {},
  );
  return startService(cfg, pino({ level: 'silent' }), { RINGGUARD_API_TOKENS: TOKENS });
}

const api = async (s: Service, path: string, method = 'GET', token = 'eng-token', body: object = {}) => {
  const r = await fetch(`http://127.0.0.1:${s.httpPort}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    body: method === 'POST' ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, body: (await r.json()) as any };
};

let serial = 0;
async function send(s: Service, kind: 'raise' | 'clear', node: string, object: string): Promise<void> {
  const t = new TrapSender({ host: '127.0.0.1', port: s.trapPort, community: 'public' });
  await t.notify({ kind, node, object, alarmName: 'R_LOS', eventTime: Date.now(), serial: ++serial });
  t.close();
}

const circuits = async (s: Service) =>
  Object.fromEntries(((await api(s, '/api/v1/circuits')).body.items as any[]).map((c) => [c.id, c.state]));
const openIncidents = async (s: Service) =>
  ((await api(s, '/api/v1/incidents?state=open')).body.items as any[]).map((i) => ({ id: i.id, spans: i.spans }));

describe('topology reload over REST', () => {
  it('a good file: alarms, incidents, circuit states and tickets kept; a new circuit appears; what left is cleared', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-reload-topo-'));
    const file = join(dir, 'net.yaml');
    writeFileSync(file, network());
    const s = (svc = await start(file));
    // A cut of S12 (C1 switches) and a LOS on the tail N5 (C3 down).
    await send(s, 'raise', 'N1', '1-1');
    await send(s, 'raise', 'N2', '2-1');
    await send(s, 'raise', 'N5', '7-1');
    await waitFor(async () => (await openIncidents(s)).length === 2, 10_000, 'two incidents open');
    const before = await openIncidents(s);
    const cut = before.find((i) => i.spans.includes('S12'))!;
    const ticket = (await api(s, `/api/v1/incidents/${cut.id}`)).body.ticketId as string;
    await waitFor(async () => !!ticket && (await api(s, `/api/v1/tickets/${ticket}`)).status === 200, 5000, 'ticket');
    expect((await api(s, `/api/v1/tickets/${ticket}/ack`, 'POST', 'eng-token', { by: 'li' })).status).toBe(200);
    const c1Before = (await api(s, '/api/v1/circuits/C1')).body;
    expect(c1Before.state).toBe('switch-required');
    expect((await circuits(s)).C3).toBe('down');

    writeFileSync(file, network({ tail: false, extra: true }));
    expect((await api(s, '/api/v1/topology/reload', 'POST', 'op-token')).status).toBe(403);
    const r = await api(s, '/api/v1/topology/reload', 'POST');
    expect(r.status).toBe(200);
    expect(r.body.added.circuits).toEqual(['C4']);
    expect(r.body.removed).toMatchObject({ nodes: ['N5'], spans: ['S45'], circuits: ['C3'] });
    expect(r.body.summary).toMatch(/^network reload-test: 1 rings, 4 nodes, 4 spans, 3 circuits/);

    // Kept: the span-cut incident, its acknowledged ticket, C1's state (and since).
    expect((await openIncidents(s)).map((i) => i.id)).toEqual([cut.id]);
    expect((await api(s, `/api/v1/tickets/${ticket}`)).body.state).toBe('acknowledged');
    const c1After = (await api(s, '/api/v1/circuits/C1')).body;
    expect({ state: c1After.state, since: c1After.since }).toEqual({ state: c1Before.state, since: c1Before.since });
    // New circuit C4 rides S12, which is cut: it is evaluated from the alarms already active.
    const after = await circuits(s);
    expect(Object.keys(after).sort()).toEqual(['C1', 'C2', 'C4']);
    expect(after.C4).not.toBe('ok');
    expect((await api(s, `/api/v1/incidents/${cut.id}`)).body.affectedCircuits).toEqual(['C1', 'C2', 'C4']);
    // N5 left the network: its LOS is cleared by ringguard, its incident clears.
    const n5 = (await api(s, '/api/v1/alarms?node=N5')).body.items as any[];
    expect(n5.map((a) => a.state)).toEqual(['cleared']);
    // The engines go on with the kept state: the repair clears the cut.
    await send(s, 'clear', 'N1', '1-1');
    await send(s, 'clear', 'N2', '2-1');
    await waitFor(async () => (await openIncidents(s)).length === 0, 10_000, 'the cut clears after the reload');
    expect((await api(s, `/api/v1/tickets/${ticket}`)).body.state).toBe('resolved');
  }, 60_000);

  it('a bad file changes nothing and says why, one line per problem naming the element', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-reload-topo-'));
    const file = join(dir, 'net.yaml');
    writeFileSync(file, network());
    const s = (svc = await start(file));
    await send(s, 'raise', 'N1', '1-1');
    await waitFor(async () => (await openIncidents(s)).length === 1, 10_000, 'one incident');
    const topo = (await api(s, '/api/v1/topology')).body;
    const states = await circuits(s);

    writeFileSync(file, network({ extra: true, broken: true }).replace('- { id: N4 }', '- { id: N4, stie: X }'));
    const r = await api(s, '/api/v1/topology/reload', 'POST');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    expect(r.body.error.details.problems).toEqual(r.body.error.message.split('\n'));
    expect(r.body.error.details.problems).toEqual(['nodes[3].stie: unknown key (did you mean "site"?) (node N4)']);
    writeFileSync(file, network({ extra: true, broken: true }));
    const r2 = await api(s, '/api/v1/topology/reload', 'POST');
    expect(r2.body.error.details.problems).toEqual(['circuits[0].working[1]: span "S-9" does not exist (circuit C1)']);
    writeFileSync(file, 'network: x\nnodes: [ {');
    const r3 = await api(s, '/api/v1/topology/reload', 'POST');
    expect(r3.status).toBe(400);
    expect(r3.body.error.message).toMatch(/not valid YAML/);

    expect((await api(s, '/api/v1/topology')).body).toEqual(topo);
    expect(await circuits(s)).toEqual(states);
    expect(await openIncidents(s)).toHaveLength(1);
  }, 60_000);
});

describe('topology reload on SIGHUP', () => {
  const procs: ChildProcess[] = [];
  afterAll(() => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  });

  it('`ringguard serve` reloads on SIGHUP; a bad file is logged and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-reload-hup-'));
    const file = join(dir, 'net.yaml');
    writeFileSync(file, network());
    const s = await serveCli(procs, await freeTcpPort(), await freeUdpPort(), [
      '--topology',
      file,
      '--db',
      join(dir, 'rg.db'),
    ]);
    const ids = async () =>
      ((await (await fetch(`http://127.0.0.1:${s.http}/api/v1/circuits`)).json()) as any).items.map((c: any) => c.id);
    expect(await ids()).toEqual(['C1', 'C2', 'C3']);

    writeFileSync(file, network({ extra: true }));
    s.proc.kill('SIGHUP');
    await waitFor(() => s.log.some((l) => l.includes('"msg":"topology reloaded"')), 20_000, 'reloaded');
    expect(await ids()).toEqual(['C1', 'C2', 'C3', 'C4']);

    writeFileSync(file, network({ broken: true }));
    s.proc.kill('SIGHUP');
    await waitFor(() => s.log.some((l) => l.includes('topology reload refused')), 20_000, 'refused');
    const refused = JSON.parse(s.log.find((l) => l.includes('topology reload refused'))!);
    expect(refused.problems).toEqual(['circuits[0].working[1]: span "S-9" does not exist (circuit C1)']);
    expect(await ids()).toEqual(['C1', 'C2', 'C3', 'C4']);

    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  }, 60_000);
});

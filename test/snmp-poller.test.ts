// Poller over real loopback SNMP: Debian snmpd (reachable), nothing listening (NE-UNREACHABLE
// after the misses, cleared on recovery), a net-snmp agent whose sysUpTime resets (restart),
// and a net-snmp agent serving rgActiveAlarmTable for resynchronisation after a serial gap.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { Poller } from '../src/adapters/snmp/poller.js';
import type { CanonicalEvent } from '../src/core/alarms/events.js';
import { TopologyGraph } from '../src/core/topology/graph.js';
import { parseTopology } from '../src/core/topology/validate.js';
import { DEMO, Harness } from './helpers/harness.js';
import { freeUdpPort, itWith, sleep, waitFor } from './helpers/env.js';

function graphWithMgmt(mgmt: Record<string, Record<string, unknown>>): TopologyGraph {
  const doc = parse(readFileSync(DEMO, 'utf8'));
  for (const n of doc.nodes) if (mgmt[n.id]) n.mgmt = mgmt[n.id];
  const r = parseTopology(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new TopologyGraph(r.topology);
}

type Agent = ReturnType<typeof snmp.createAgent>;
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function startAgent(port: number, v3User?: Record<string, unknown>): Promise<Agent> {
  const agent = snmp.createAgent(
    { port, address: '127.0.0.1', accessControlModelType: snmp.AccessControlModelType.None } as never,
    () => undefined,
  );
  agent.getAuthorizer().addCommunity('public');
  if (v3User) agent.getAuthorizer().addUser(v3User as never);
  const mib = agent.getMib();
  mib.registerProvider({
    name: 'sysUpTime',
    type: snmp.MibProviderType.Scalar,
    oid: '1.3.6.1.2.1.1.3',
    scalarType: snmp.ObjectType.TimeTicks,
    maxAccess: snmp.MaxAccess['read-only'],
  } as never);
  mib.setScalarValue('sysUpTime', 500_000);
  cleanups.push(() => new Promise<void>((r) => agent.close(() => r())));
  await sleep(50);
  return agent;
}

function addAlarmTable(agent: Agent, rows: Array<[number, string, string, string, number, string]>): void {
  const mib = agent.getMib();
  const col = (number: number, name: string, type: number, access = 'read-only') => ({
    number,
    name,
    type,
    maxAccess: snmp.MaxAccess[access as 'read-only'],
  });
  mib.registerProvider({
    name: 'rgActiveAlarmEntry',
    type: snmp.MibProviderType.Table,
    oid: '1.3.6.1.4.1.32473.1.2.1',
    maxAccess: snmp.MaxAccess['not-accessible'],
    tableColumns: [
      col(1, 'rgActiveAlarmIndex', snmp.ObjectType.Gauge, 'not-accessible'),
      col(2, 'rgActiveAlarmNeName', snmp.ObjectType.OctetString),
      col(3, 'rgActiveAlarmLocation', snmp.ObjectType.OctetString),
      col(4, 'rgActiveAlarmName', snmp.ObjectType.OctetString),
      col(5, 'rgActiveAlarmSeverity', snmp.ObjectType.Integer),
      col(6, 'rgActiveAlarmRaisedAt', snmp.ObjectType.OctetString),
    ],
    tableIndex: [{ columnName: 'rgActiveAlarmIndex' }],
  } as never);
  for (const r of rows) mib.addTableRow('rgActiveAlarmEntry', r as never);
}

describe('poller', () => {
  itWith(['snmpd'])('polls a Debian snmpd and stays quiet while it answers', async () => {
    const port = await freeUdpPort();
    const dir = mkdtempSync(join(tmpdir(), 'rg-snmpd-'));
    writeFileSync(join(dir, 'snmpd.conf'), 'rocommunity public 127.0.0.1\n');
    const proc: ChildProcess = spawn(
      'snmpd',
      ['-f', '-Lo', '-C', '-c', join(dir, 'snmpd.conf'), '-p', join(dir, 'pid'), `udp:127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    cleanups.push(() => {
      proc.kill('SIGTERM');
    });
    const probe = snmp.createSession('127.0.0.1', 'public', { port, timeout: 200, retries: 0 } as never);
    cleanups.push(() => {
      probe.close();
    });
    await waitFor(
      () => new Promise<boolean>((r) => probe.get(['1.3.6.1.2.1.1.3.0'], (err) => r(!err))),
      8000,
      'snmpd up',
    );
    const events: CanonicalEvent[] = [];
    const poller = new Poller(
      graphWithMgmt({ 'XT-A1': { host: '127.0.0.1', port } }),
      { intervalMs: 3000, misses: 2, timeoutMs: 1000 },
      (e) => events.push(e),
      () => [],
    );
    cleanups.push(() => poller.stop());
    for (let i = 0; i < 4; i++) await poller.cycle();
    expect(poller.stats.polls).toBe(4);
    expect(poller.stats.failures).toBe(0);
    expect(events).toEqual([]);
  });

  it('raises NE-UNREACHABLE after the configured misses and clears it on the first success', async () => {
    const port = await freeUdpPort();
    const events: CanonicalEvent[] = [];
    const poller = new Poller(
      graphWithMgmt({ 'XT-A2': { host: '127.0.0.1', port } }),
      { intervalMs: 1000, misses: 3, timeoutMs: 150 },
      (e) => events.push(e),
      () => [],
    );
    cleanups.push(() => poller.stop());
    await poller.cycle();
    await poller.cycle();
    expect(events).toEqual([]);
    await poller.cycle();
    expect(events).toMatchObject([{ kind: 'raise', node: 'XT-A2', object: '', type: 'NE-UNREACHABLE' }]);
    await poller.cycle();
    expect(events).toHaveLength(1);
    await startAgent(port);
    await poller.cycle();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ kind: 'clear', node: 'XT-A2', type: 'NE-UNREACHABLE' });
  });

  it('polls over SNMPv3 authPriv (SHA/AES) and notices a wrong key', async () => {
    const port = await freeUdpPort();
    await startAgent(port, {
      name: 'poll3',
      level: snmp.SecurityLevel.authPriv,
      authProtocol: snmp.AuthProtocols.sha,
      authKey: 'authpass123',
      privProtocol: snmp.PrivProtocols.aes,
      privKey: 'privpass123',
    });
    const ok: CanonicalEvent[] = [];
    const good = new Poller(
      graphWithMgmt({
        'XT-A4': {
          host: '127.0.0.1',
          port,
          version: 3,
          user: 'poll3',
          authProtocol: 'sha',
          authKey: 'authpass123',
          privProtocol: 'aes',
          privKey: 'privpass123',
        },
      }),
      { intervalMs: 3000, misses: 1, timeoutMs: 1000 },
      (e) => ok.push(e),
      () => [],
    );
    cleanups.push(() => good.stop());
    await good.cycle();
    expect(good.stats.failures).toBe(0);
    expect(ok).toEqual([]);
    const bad: CanonicalEvent[] = [];
    const wrong = new Poller(
      graphWithMgmt({
        'XT-A4': {
          host: '127.0.0.1',
          port,
          version: 3,
          user: 'poll3',
          authProtocol: 'sha',
          authKey: 'wrongpass99',
          privProtocol: 'aes',
          privKey: 'privpass123',
        },
      }),
      { intervalMs: 1000, misses: 1, timeoutMs: 500 },
      (e) => bad.push(e),
      () => [],
    );
    cleanups.push(() => wrong.stop());
    await wrong.cycle();
    expect(bad).toMatchObject([{ kind: 'raise', node: 'XT-A4', type: 'NE-UNREACHABLE' }]);
  });

  it('counts an agent that answers without sysUpTime as reachable', async () => {
    const port = await freeUdpPort();
    const agent = snmp.createAgent(
      { port, address: '127.0.0.1', accessControlModelType: snmp.AccessControlModelType.None } as never,
      () => undefined,
    );
    agent.getAuthorizer().addCommunity('public');
    cleanups.push(() => new Promise<void>((r) => agent.close(() => r())));
    await sleep(50);
    const events: CanonicalEvent[] = [];
    const poller = new Poller(
      graphWithMgmt({ 'XT-A5': { host: '127.0.0.1', port } }),
      { intervalMs: 1000, misses: 1, timeoutMs: 1000 },
      (e) => events.push(e),
      () => [],
    );
    cleanups.push(() => poller.stop());
    await poller.cycle();
    await poller.cycle();
    expect(poller.stats.failures).toBe(0);
    expect(events).toEqual([]);
  });

  it('reports a restart when sysUpTime goes backwards', async () => {
    const port = await freeUdpPort();
    const agent = await startAgent(port);
    const events: CanonicalEvent[] = [];
    const poller = new Poller(
      graphWithMgmt({ 'XT-A3': { host: '127.0.0.1', port } }),
      { intervalMs: 1000, misses: 3, timeoutMs: 1000 },
      (e) => events.push(e),
      () => [],
    );
    cleanups.push(() => poller.stop());
    await poller.cycle();
    agent.getMib().setScalarValue('sysUpTime', 600_000);
    await poller.cycle();
    expect(events).toEqual([]);
    agent.getMib().setScalarValue('sysUpTime', 42);
    await poller.cycle();
    expect(events).toMatchObject([{ kind: 'restart', node: 'XT-A3', reason: 'uptime-reset' }]);
  });

  it('resynchronises a sender from rgActiveAlarmTable after a serial gap', async () => {
    const port = await freeUdpPort();
    const agent = await startAgent(port);
    const h = new Harness(graphWithMgmt({ 'XT-A1': { host: '127.0.0.1', port } }));
    const poller = new Poller(
      h.graph,
      { intervalMs: 1000, misses: 3, timeoutMs: 1000 },
      (e) => h.push(e),
      (n) => h.pipeline.ledger.activeOfNode(n),
    );
    cleanups.push(() => poller.stop());
    h.pipeline.gaps$.subscribe(({ node }) => void poller.resync(node));
    await poller.cycle(); // no table yet: the agent has none
    addAlarmTable(agent, [[1, 'XT-A1', '1-1', 'R_LOS', 3, '2026-11-29T04:00:00Z']]);
    // Serial 1: an alarm the NE no longer has. Serial 5: a gap (2..4 lost).
    const ev = (serial: number, object: string, name: string) => ({
      kind: 'raise' as const,
      node: 'XT-A1',
      object,
      type: name === 'R_LOS' ? 'LOS' : 'LOF',
      vendorName: name,
      severity: 'critical' as const,
      eventTime: h.now,
      sender: 'XT-A1',
      serial,
    });
    h.push(ev(1, '2-1', 'R_LOF'));
    expect(h.pipeline.counters.gaps).toBe(0);
    h.push(ev(5, '3-1', 'R_LOF'));
    expect(h.pipeline.counters.gaps).toBe(1);
    await waitFor(
      () => poller.stats.resyncs > 0 && [...h.alarms.values()].some((a) => a.object === '1-1'),
      5000,
      'resync',
    );
    const byObject = (o: string) => [...h.alarms.values()].find((a) => a.object === o)!;
    expect(byObject('1-1')).toMatchObject({ type: 'LOS', state: 'active', raisedAt: '2026-11-29T04:00:00.000Z' });
    expect(byObject('2-1')).toMatchObject({ state: 'cleared', clearedBy: 'resync' });
    expect(byObject('3-1')).toMatchObject({ state: 'cleared', clearedBy: 'resync' });
    // A repeated serial is a duplicate and changes nothing.
    const before = h.alarms.size;
    h.push(ev(5, '9-9', 'R_LOF'));
    expect(h.pipeline.counters.duplicates).toBe(1);
    expect(h.alarms.size).toBe(before);
  });
});

// Notifications no mapping rule matches: listed at GET /api/v1/unmapped (per OID, with a sample
// of their varbinds, bounded) and logged at info at most once a minute per OID. Real SNMP over
// loopback into `ringguard serve`.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';
import type { Logger } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { TrapSender, type Varbind } from '../src/adapters/snmp/sender.js';
import { UnmappedLogger, UnmappedTable } from '../src/adapters/snmp/unmapped.js';
import type { Notification } from '../src/adapters/snmp/mapping.js';
import { freeTcpPort, freeUdpPort, waitFor } from './helpers/env.js';
import { serveCli } from './helpers/serve.js';

const ZTE_ALARM = '1.3.6.1.4.1.3902.4101.1.4.1.1';
const VB = '1.3.6.1.4.1.3902.4101.1.3.3';

const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

async function sendTrap(port: number, trapOid: string, varbinds: Varbind[]) {
  const t = new TrapSender({ host: '127.0.0.1', port });
  await t.send(trapOid, varbinds);
  t.close();
}

describe('unmapped notifications over loopback', () => {
  it('are listed per OID with count, sender and sample varbinds, and logged once a minute', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'rg-unmapped-')), 'rg.db');
    const http = await freeTcpPort();
    const svc = await serveCli(procs, http, await freeUdpPort(), ['--db', db]);
    const vbs = [
      { oid: `${VB}.1.0`, type: snmp.ObjectType.OctetString, value: 'XT-A3' },
      { oid: `${VB}.2.0`, type: snmp.ObjectType.OctetString, value: 'rack=1,shelf=1,slot=7,port=2' },
      { oid: `${VB}.3.0`, type: snmp.ObjectType.Integer, value: 1204 },
      { oid: `${VB}.9.0`, type: snmp.ObjectType.OctetString, value: Buffer.from([0, 1, 0xfe]) },
    ];
    for (let i = 0; i < 5; i++) await sendTrap(svc.trap, ZTE_ALARM, vbs);
    await sendTrap(svc.trap, '1.3.6.1.4.1.3902.4101.1.4.1.9', []);
    const get = async () => (await (await fetch(`http://127.0.0.1:${http}/api/v1/unmapped`)).json()) as any;
    await waitFor(
      async () => (await get()).items.find((r: { trapOid: string }) => r.trapOid === ZTE_ALARM)?.count === 5,
      10_000,
      'five listed',
    );
    const { items } = await get();
    expect(items.map((r: { trapOid: string }) => r.trapOid)).toEqual(['1.3.6.1.4.1.3902.4101.1.4.1.9', ZTE_ALARM]);
    const row = items[1];
    expect(row).toMatchObject({ count: 5, sender: '127.0.0.1', senders: ['127.0.0.1'] });
    expect(Date.parse(row.firstSeen)).toBeLessThanOrEqual(Date.parse(row.lastSeen));
    expect(row.varbinds).toEqual([
      { oid: `${VB}.1.0`, value: 'XT-A3' },
      { oid: `${VB}.2.0`, value: 'rack=1,shelf=1,slot=7,port=2' },
      { oid: `${VB}.3.0`, value: '1204' },
      { oid: `${VB}.9.0`, value: '0x0001fe' },
    ]);
    // Five of one OID within a minute: one info line, with the OID, sender and varbinds.
    const lines = svc.log.filter((l) => l.includes('unmapped notification')).map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.trapOid === ZTE_ALARM)).toHaveLength(1);
    expect(lines.find((l) => l.trapOid === ZTE_ALARM)).toMatchObject({
      level: 30,
      source: '127.0.0.1',
      varbinds: expect.arrayContaining([{ oid: `${VB}.3.0`, value: '1204' }]),
    });
    const metrics = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text();
    expect(metrics).toMatch(/^ringguard_traps_unmapped_total 6$/m);
    // Nothing unmapped became an alarm.
    const alarms = (await (await fetch(`http://127.0.0.1:${http}/api/v1/alarms`)).json()) as any;
    expect(alarms.items).toEqual([]);
  }, 120_000);
});

const note = (trapOid: string, receivedAt: number): Notification => ({
  trapOid,
  varbinds: [{ oid: '1.3.6.1.4.1.9.1.0', value: Buffer.from('x') }],
  address: '10.0.0.9',
  receivedAt,
});

describe('unmapped log rate limit and table bound', () => {
  const fakeLogger = () => {
    const lines: Array<Record<string, unknown>> = [];
    return { lines, logger: { info: (o: Record<string, unknown>) => lines.push(o) } as unknown as Logger };
  };

  it('logs one OID at most once a minute, saying how many were not logged since', () => {
    const { lines, logger } = fakeLogger();
    const log = new UnmappedLogger(logger);
    for (let i = 0; i < 100; i++) log.note(note('1.3.6.1.4.1.9.0.1', 1_000 + i * 100)); // 10 s
    expect(lines).toHaveLength(1);
    log.note(note('1.3.6.1.4.1.9.0.1', 61_000));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ trapOid: '1.3.6.1.4.1.9.0.1', source: '10.0.0.9', notLoggedSince: 99 });
  });

  it('a storm of distinct OIDs logs at most 20 lines a minute', () => {
    const { lines, logger } = fakeLogger();
    const log = new UnmappedLogger(logger);
    for (let i = 0; i < 500; i++) log.note(note(`1.3.6.1.4.1.9.0.${i}`, 1_000 + i));
    expect(lines).toHaveLength(20);
    log.note(note('1.3.6.1.4.1.9.0.999', 70_000));
    expect(lines).toHaveLength(21);
  });

  it('keeps the most recently seen OIDs only', () => {
    const t = new UnmappedTable(3);
    for (let i = 0; i < 5; i++) t.note(note(`1.3.6.1.4.1.9.0.${i}`, 1_000 + i));
    t.note(note('1.3.6.1.4.1.9.0.2', 2_000));
    expect(t.list().map((r) => r.trapOid)).toEqual(['1.3.6.1.4.1.9.0.2', '1.3.6.1.4.1.9.0.4', '1.3.6.1.4.1.9.0.3']);
    expect(t.list()[0]).toMatchObject({ count: 2, firstSeen: new Date(1_002).toISOString() });
  });
});

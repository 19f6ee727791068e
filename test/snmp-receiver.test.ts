// Trap/inform ingest over real loopback sockets: Debian snmptrap/snmpinform and net-snmp as
// independent senders, into the receiver and the mapping rules.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import snmp from 'net-snmp';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mapper, type Notification } from '../src/adapters/snmp/mapping.js';
import { TrapReceiver } from '../src/adapters/snmp/receiver.js';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import type { CanonicalEvent } from '../src/core/alarms/events.js';
import { TopologyGraph } from '../src/core/topology/graph.js';
import { parseTopology } from '../src/core/topology/validate.js';
import { DEMO } from './helpers/harness.js';
import { freeUdpPort, itWith, run, sleep, waitFor } from './helpers/env.js';

const doc = parse(readFileSync(DEMO, 'utf8'));
doc.equipment.find((e: { id: string }) => e.id === 'RTR-0001').mgmt = { host: '127.0.0.9', port: 16199 };
// A ring node managed on the same address (agents on one host, different ports).
doc.nodes.find((n: { id: string }) => n.id === 'XT-B1').mgmt = { host: '127.0.0.9', port: 16198 };
const parsed = parseTopology(doc);
if (!parsed.ok) throw new Error('test topology invalid');
const graph = new TopologyGraph(parsed.topology);

const USER = {
  name: 'rgv3',
  authProtocol: 'sha' as const,
  authKey: 'authpass123',
  privProtocol: 'aes' as const,
  privKey: 'privpass123',
};
const RG = '1.3.6.1.4.1.32473.1';
const alarmArgs = (name: string, node = 'XT-A1', loc = '1-1', serial = 7) => [
  `${RG}.1.1.0`,
  's',
  node,
  `${RG}.1.2.0`,
  's',
  loc,
  `${RG}.1.3.0`,
  's',
  name,
  `${RG}.1.4.0`,
  'i',
  '3',
  `${RG}.1.5.0`,
  's',
  '2026-11-29T05:00:00Z',
  `${RG}.1.6.0`,
  'u',
  String(serial),
];

describe('SNMP receiver', () => {
  let port: number;
  let receiver: TrapReceiver;
  const events: CanonicalEvent[] = [];
  const unmapped: Notification[] = [];
  const mapper = new Mapper(graph);

  beforeAll(async () => {
    port = await freeUdpPort();
    receiver = new TrapReceiver(
      { host: '127.0.0.1', port, communities: ['public'], users: [USER], recvBufferBytes: 4 << 20 },
      (n) => {
        const r = mapper.map(n);
        if (r.ok && r.event.kind !== 'ems') events.push(r.event);
        else unmapped.push(n);
      },
    );
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.close();
  });

  const next = async (pred: (e: CanonicalEvent) => boolean, what: string) =>
    waitFor(() => events.find(pred), 5000, what);

  itWith(['snmptrap'])('decodes a Debian snmptrap v2c rgAlarmRaise', async () => {
    const r = await run('snmptrap', [
      '-v',
      '2c',
      '-c',
      'public',
      '-m',
      '',
      `127.0.0.1:${port}`,
      '',
      `${RG}.0.1`,
      ...alarmArgs('R_LOS', 'XT-A1', '1-1', 101),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const ev = await next((e) => e.serial === 101, 'v2c trap');
    expect(ev).toMatchObject({
      kind: 'raise',
      node: 'XT-A1',
      object: '1-1',
      type: 'LOS',
      vendorName: 'R_LOS',
      severity: 'critical',
      eventTime: Date.parse('2026-11-29T05:00:00Z'),
      sender: 'XT-A1',
    });
  });

  itWith(['snmptrap'])('decodes a Debian snmptrap v1 enterprise trap', async () => {
    const r = await run('snmptrap', [
      '-v',
      '1',
      '-c',
      'public',
      '-m',
      '',
      `127.0.0.1:${port}`,
      RG,
      '127.0.0.5',
      '6',
      '2',
      '',
      ...alarmArgs('MS_RDI', 'XT-A2', '2-1', 102),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const ev = await next((e) => e.serial === 102, 'v1 trap');
    expect(ev).toMatchObject({ kind: 'clear', node: 'XT-A2', object: '2-1', type: 'MS-RDI' });
  });

  itWith(['snmptrap'])('decodes a Debian snmptrap v3 authPriv (SHA/AES) trap', async () => {
    const r = await run('snmptrap', [
      '-v',
      '3',
      '-u',
      USER.name,
      '-l',
      'authPriv',
      '-a',
      'SHA',
      '-A',
      USER.authKey,
      '-x',
      'AES',
      '-X',
      USER.privKey,
      '-e',
      '0x8000000001020304',
      '-m',
      '',
      `127.0.0.1:${port}`,
      '',
      `${RG}.0.1`,
      ...alarmArgs('T_ALOS', 'XT-A5', '4-1:1', 103),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const ev = await next((e) => e.serial === 103, 'v3 trap');
    expect(ev).toMatchObject({ kind: 'raise', node: 'XT-A5', object: '4-1:1', type: 'E1-LOS' });
  });

  itWith(['snmpinform'])('answers a Debian snmpinform (v2c) so it exits 0, and decodes it', async () => {
    const r = await run('snmpinform', [
      '-v',
      '2c',
      '-c',
      'public',
      '-r',
      '0',
      '-t',
      '2',
      '-m',
      '',
      `127.0.0.1:${port}`,
      '',
      `${RG}.0.3`,
      `${RG}.1.1.0`,
      's',
      'XT-A1',
      `${RG}.1.2.0`,
      's',
      '1-1',
      `${RG}.1.8.0`,
      'i',
      '1',
      `${RG}.1.6.0`,
      'u',
      '104',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const ev = await next((e) => e.serial === 104, 'inform');
    expect(ev).toMatchObject({ kind: 'switch', node: 'XT-A1', object: '1-1', state: 'toProtection' });
    expect(receiver.stats.informs).toBeGreaterThan(0);
  });

  itWith(['snmpinform'])('answers a Debian snmpinform v3 authPriv', async () => {
    const r = await run('snmpinform', [
      '-v',
      '3',
      '-u',
      USER.name,
      '-l',
      'authPriv',
      '-a',
      'SHA',
      '-A',
      USER.authKey,
      '-x',
      'AES',
      '-X',
      USER.privKey,
      '-r',
      '0',
      '-t',
      '2',
      '-m',
      '',
      `127.0.0.1:${port}`,
      '',
      `${RG}.0.1`,
      ...alarmArgs('HARD_BAD', 'XT-A6', '4-1', 105),
    ]);
    expect(r.code, r.stderr).toBe(0);
    await next((e) => e.serial === 105, 'v3 inform');
  });

  itWith(['snmptrap'])('maps IF-MIB linkDown from a router by its v1 agent address', async () => {
    const r = await run('snmptrap', [
      '-v',
      '1',
      '-c',
      'public',
      '-m',
      '',
      `127.0.0.1:${port}`,
      '1.3.6.1.6.3.1.1.5',
      '127.0.0.9',
      '2',
      '0',
      '',
      '1.3.6.1.2.1.2.2.1.1.3',
      'i',
      '3',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const ev = await next((e) => e.node === 'RTR-0001', 'linkDown');
    expect(ev).toMatchObject({ kind: 'raise', type: 'LINK-DOWN', object: 'ifIndex 3' });
    // coldStart from the same address is the ring node's.
    const r2 = await run('snmptrap', [
      '-v',
      '1',
      '-c',
      'public',
      '-m',
      '',
      `127.0.0.1:${port}`,
      '1.3.6.1.6.3.1.1.5',
      '127.0.0.9',
      '0',
      '0',
      '',
    ]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(await next((e) => e.kind === 'restart', 'coldStart')).toMatchObject({ node: 'XT-B1', reason: 'coldStart' });
  });

  itWith(['snmptrap'])('counts a wrong community and wrong v3 keys, and raises nothing', async () => {
    const before = events.length;
    const c0 = receiver.stats.rejected['bad-community'];
    const a0 = receiver.stats.rejected['auth-failure'];
    await run('snmptrap', [
      '-v',
      '2c',
      '-c',
      'wrong',
      '-m',
      '',
      `127.0.0.1:${port}`,
      '',
      `${RG}.0.1`,
      ...alarmArgs('R_LOS', 'XT-A3', '1-1', 201),
    ]);
    await run('snmptrap', [
      '-v',
      '3',
      '-u',
      USER.name,
      '-l',
      'authPriv',
      '-a',
      'SHA',
      '-A',
      'wrongpass99',
      '-x',
      'AES',
      '-X',
      USER.privKey,
      '-e',
      '0x8000000001020304',
      '-m',
      '',
      `127.0.0.1:${port}`,
      '',
      `${RG}.0.1`,
      ...alarmArgs('R_LOS', 'XT-A3', '1-1', 202),
    ]);
    await waitFor(
      () => receiver.stats.rejected['bad-community'] > c0 && receiver.stats.rejected['auth-failure'] > a0,
      3000,
      'rejections counted',
    );
    await sleep(100);
    expect(events.slice(before).filter((e) => e.serial === 201 || e.serial === 202)).toEqual([]);
  });

  it('decodes traps and informs sent by net-snmp (v2c and v3)', async () => {
    const v2 = new TrapSender({ host: '127.0.0.1', port, community: 'public' });
    const v3 = new TrapSender({ host: '127.0.0.1', port, version: '3', user: USER, inform: true });
    try {
      await v2.notify({
        kind: 'raise',
        node: 'XT-B2',
        object: '1-1',
        alarmName: 'R_LOF',
        severity: 'major',
        eventTime: Date.parse('2026-11-29T06:00:00Z'),
        serial: 301,
      });
      await v3.notify({
        kind: 'raise',
        node: 'XT-B3',
        object: '2-1',
        alarmName: 'DOOR_OPEN',
        eventTime: Date.parse('2026-11-29T06:00:01Z'),
        serial: 302,
      });
    } finally {
      v2.close();
      v3.close();
    }
    expect(await next((e) => e.serial === 301, 'net-snmp v2c')).toMatchObject({
      node: 'XT-B2',
      type: 'LOF',
      severity: 'major',
    });
    expect(await next((e) => e.serial === 302, 'net-snmp v3 inform')).toMatchObject({
      node: 'XT-B3',
      type: 'UNKNOWN:DOOR_OPEN',
      vendorName: 'DOOR_OPEN',
    });
  });

  it('decodes Huawei T2000 northbound traps (HW-IMAPV1NORTHBOUND-TRAP-MIB) with the built-in rules', async () => {
    const H = '1.3.6.1.4.1.2011.2.15.1.7.1';
    const s = snmp.createSession('127.0.0.1', 'public', { trapPort: port, version: snmp.Version2c });
    const str = (n: number, value: string) => ({ oid: `${H}.${n}.0`, type: snmp.ObjectType.OctetString, value });
    const int = (n: number, value: number) => ({ oid: `${H}.${n}.0`, type: snmp.ObjectType.Integer, value });
    // hwNmNorthboundEventNotifyCritical (.0.3) / Major (.0.4): NEName, NEType, ObjectInstance,
    // EventTime, Severity, FaultFlag, SerialNo, EventName as the MIB defines them.
    const huawei = (
      notify: number,
      name: string,
      instance: string,
      time: string,
      severity: string,
      flag: string,
      serial: number,
    ) =>
      new Promise<void>((res, rej) =>
        s.trap(
          `${H}.0.${notify}`,
          [
            str(1, 'XT-A4'),
            str(2, 'OptiX OSN 3500'),
            str(3, instance),
            str(5, time),
            str(7, severity),
            str(10, flag),
            int(13, serial),
            str(24, name),
          ] as never,
          (e) => (e ? rej(e) : res()),
        ),
      );
    await huawei(3, 'R_LOS', 'Shelf=1,Slot=2,Port=1', '2026-11-29 05:10:00', 'Critical', 'Fault', 401);
    await huawei(4, 'TU_AIS', 'Shelf=1,Slot=4,Port=1,Path=2', '2026-11-29 05:11:00', 'Major', 'Recovery', 402);
    s.close();
    expect(await next((e) => e.serial === 401, 'huawei raise')).toMatchObject({
      kind: 'raise',
      node: 'XT-A4',
      object: '2-1',
      type: 'LOS',
      vendorName: 'R_LOS',
      severity: 'critical',
      eventTime: Date.parse('2026-11-29T05:10:00Z'),
      sender: 'EMS-127.0.0.1',
      text: 'neType=OptiX OSN 3500',
    });
    expect(await next((e) => e.serial === 402, 'huawei clear')).toMatchObject({
      kind: 'clear',
      node: 'XT-A4',
      object: '4-1:2',
      type: 'TU-AIS',
    });
  });

  it('survives 10,000 random and truncated datagrams, counts them, and still decodes', async () => {
    const sock = dgram.createSocket('udp4');
    const good = await new Promise<Buffer>((resolve) => {
      // One real encoded trap, captured from net-snmp, to truncate.
      const cap = dgram.createSocket('udp4');
      cap.bind(0, '127.0.0.1', () => {
        const s = snmp.createSession('127.0.0.1', 'public', { trapPort: cap.address().port, version: snmp.Version2c });
        cap.once('message', (m) => {
          s.close();
          cap.close();
          resolve(m);
        });
        s.trap(
          `${RG}.0.1`,
          [{ oid: `${RG}.1.1.0`, type: snmp.ObjectType.OctetString, value: 'XT-A1' }] as never,
          () => undefined,
        );
      });
    });
    const rejected = () => Object.values(receiver.stats.rejected).reduce((a, b) => a + b, 0);
    const before = {
      rejected: rejected(),
      received: receiver.stats.received,
      datagrams: receiver.stats.datagrams,
      drops: receiver.kernelDrops(),
    };
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const N = 10_000;
    for (let i = 0; i < N; i++) {
      let buf: Buffer;
      if (i % 2 === 0) {
        buf = Buffer.alloc(1 + Math.floor(rnd() * 200));
        for (let j = 0; j < buf.length; j++) buf[j] = Math.floor(rnd() * 256);
      } else {
        buf = good.subarray(0, 1 + Math.floor(rnd() * (good.length - 2)));
      }
      sock.send(buf, port, '127.0.0.1');
      if (i % 200 === 199) await sleep(2);
    }
    const drops = () => receiver.kernelDrops() - before.drops;
    await waitFor(
      () => receiver.stats.datagrams - before.datagrams + drops() >= N,
      10_000,
      'every datagram seen or dropped by the kernel',
    );
    sock.close();
    const seen = receiver.stats.datagrams - before.datagrams;
    // Every datagram is accounted for: rejected with a reason, or decoded (and then mapped or counted).
    expect(rejected() - before.rejected + receiver.stats.received - before.received).toBeGreaterThanOrEqual(seen);
    expect(receiver.stats.rejected.malformed).toBeGreaterThan(N / 2);
    const v2 = new TrapSender({ host: '127.0.0.1', port, community: 'public' });
    await v2.notify({
      kind: 'raise',
      node: 'XT-A1',
      object: '2-1',
      alarmName: 'R_LOS',
      eventTime: Date.now(),
      serial: 999,
    });
    v2.close();
    await next((e) => e.serial === 999, 'trap after the garbage');
  });

  itWith(['snmptranslate'])('the MIB loads in Debian snmptranslate and in net-snmp ModuleStore', async () => {
    const r = await run('snmptranslate', [
      '-M',
      `+${new URL('../mibs', import.meta.url).pathname}:${new URL('../node_modules/net-snmp/lib/mibs', import.meta.url).pathname}`,
      '-m',
      'RINGGUARD-SDH-ALARM-MIB',
      '-On',
      'RINGGUARD-SDH-ALARM-MIB::rgProtectionSwitch',
      'RINGGUARD-SDH-ALARM-MIB::rgActiveAlarmRaisedAt',
      'RINGGUARD-SDH-ALARM-MIB::rgNeName.0',
    ]);
    expect(r.stdout.trim().split(/\s+/)).toEqual([
      '.1.3.6.1.4.1.32473.1.0.3',
      '.1.3.6.1.4.1.32473.1.2.1.6',
      '.1.3.6.1.4.1.32473.1.1.1.0',
    ]);
    const store = snmp.createModuleStore();
    store.loadFromFile(new URL('../mibs/RINGGUARD-SDH-ALARM-MIB.txt', import.meta.url).pathname);
    const mod = store.getModule('RINGGUARD-SDH-ALARM-MIB') as Record<string, { OID: string }>;
    expect(mod.rgAlarmRaise.OID).toBe('1.3.6.1.4.1.32473.1.0.1');
    expect(mod.rgSerial.OID).toBe('1.3.6.1.4.1.32473.1.1.6');
    expect(mod.rgActiveAlarmTable.OID).toBe('1.3.6.1.4.1.32473.1.2');
  });
});

describe('receiver logging', () => {
  it('logs bad input at most once per source and reason per minute, and counts every packet', async () => {
    const { pino } = await import('pino');
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      {
        write: (l: string) => {
          lines.push(l);
        },
      },
    );
    let t = 1_000_000;
    const port = await freeUdpPort();
    const r = new TrapReceiver(
      { host: '127.0.0.1', port, communities: ['public'], users: [], recvBufferBytes: 1 << 20, logger, now: () => t },
      () => undefined,
    );
    await r.start();
    const sock = dgram.createSocket('udp4');
    const send = (b: Buffer) => new Promise<void>((res) => sock.send(b, port, '127.0.0.1', () => res()));
    for (let i = 0; i < 5; i++) await send(Buffer.from([0x30, 0x03, 0x02, 0x01, i]));
    await waitFor(() => r.stats.rejected.malformed >= 5, 3000, '5 counted');
    expect(lines.filter((l) => l.includes('rejected SNMP packet'))).toHaveLength(1);
    t += 61_000;
    await send(Buffer.from([0xff, 0x00]));
    await waitFor(() => r.stats.rejected.malformed >= 6, 3000, '6 counted');
    expect(lines.filter((l) => l.includes('rejected SNMP packet'))).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ source: '127.0.0.1', reason: 'malformed' });
    sock.close();
    await r.close();
  });
});

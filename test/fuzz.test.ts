// Fuzz: 100,000 datagrams, 90 % of them malformed in eleven ways, interleaved with 10,000 valid
// traps, into the real receiver thread. It stays alive, every valid trap becomes its event,
// garbage none, and every datagram is counted once: received + rejected + kernel drops = sent.
import dgram from 'node:dgram';
import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopologyOrThrow } from '../src/adapters/files/topology-file.js';
import { TrapIngest } from '../src/adapters/snmp/ingest.js';
import { varbindsOf } from '../src/adapters/snmp/sender.js';
import type { CanonicalEvent } from '../src/core/alarms/events.js';
import { DEMO } from './helpers/harness.js';
import { freeUdpPort, sleep, waitFor } from './helpers/env.js';
import {
  capture,
  INFORM_BIG_INTEGER,
  INFORM_BIG_REQID,
  INFORM_BIT_STRING,
  pdu,
  TRAP_V2,
  v2cMessage,
  varbind,
} from './helpers/packets.js';

const TOTAL = 100_000;
const VALID_EVERY = 10;

describe('receiver fuzz', () => {
  const events: CanonicalEvent[] = [];
  let ingest: TrapIngest;
  let port: number;
  beforeAll(async () => {
    port = await freeUdpPort();
    ingest = new TrapIngest(
      loadTopologyOrThrow(DEMO),
      {
        receiver: { host: '127.0.0.1', port, communities: ['public'], users: [], recvBufferBytes: 8 << 20 },
        mappings: [],
        logLevel: 'silent',
      },
      (evs, answer) => {
        events.push(...(evs as CanonicalEvent[]));
        answer();
      },
    );
    await ingest.start();
  });
  afterAll(() => ingest.close());

  it(`${TOTAL.toLocaleString('en')} datagrams of eleven malformed kinds and valid traps`, async () => {
    const encode = (serial: number, drop?: string) => {
      const { trapOid, varbinds } = varbindsOf({
        kind: 'raise',
        node: 'XT-A2',
        object: '1-1',
        alarmName: 'R_LOS',
        eventTime: Date.parse('2026-11-29T05:00:00Z'),
        serial,
      });
      return capture((s) => s.trap(trapOid, varbinds.filter((v) => v.oid !== drop) as never, () => undefined));
    };
    const template = await encode(1);
    const noLocation = await encode(2, '1.3.6.1.4.1.32473.1.1.2.0');
    let seed = 7;
    const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * n);
    const randomBytes = () => Buffer.from(Array.from({ length: 1 + rnd(300) }, () => rnd(256)));
    const wrongCommunity = Buffer.from(template);
    wrongCommunity.write('wrong!', template.indexOf('public'));
    const badVersion = Buffer.from(template);
    badVersion[4] = 7; // 30 LL 02 01 [version]
    const kinds: Array<() => Buffer> = [
      randomBytes,
      () => template.subarray(0, 1 + rnd(template.length - 1)), // truncated
      () => INFORM_BIG_REQID,
      () => INFORM_BIG_INTEGER,
      () => INFORM_BIT_STRING,
      () => wrongCommunity,
      () => v2cMessage(pdu(TRAP_V2, Buffer.from('020101', 'hex'), [varbind(Buffer.from('430101', 'hex'))])), // no snmpTrapOID
      () => Buffer.concat([template, Buffer.from([0, 0, rnd(256)])]), // trailing bytes
      () => v2cMessage(pdu(0xa0, Buffer.from('020101', 'hex'), [])), // a v2c GetRequest
      () => noLocation, // a mapped trap missing a required varbind
      () => badVersion,
    ];
    // Valid traps, encoded by net-snmp: XT-A1 raises LOS on port 9-<serial>.
    const { trapOid } = varbindsOf({
      kind: 'raise',
      node: 'XT-A1',
      object: '',
      alarmName: 'R_LOS',
      eventTime: 0,
      serial: 0,
    });
    const session = snmp.createSession('127.0.0.1', 'public', { trapPort: port, version: snmp.Version2c });
    const sock = dgram.createSocket('udp4');
    const before = { drops: ingest.stats.kernelDrops };
    let valid = 0;
    const t0 = performance.now();
    for (let i = 0; i < TOTAL; i++) {
      if (i % VALID_EVERY === 0) {
        const serial = ++valid;
        const { varbinds } = varbindsOf({
          kind: 'raise',
          node: 'XT-A1',
          object: `9-${serial}`,
          alarmName: 'R_LOS',
          eventTime: Date.parse('2026-11-29T05:00:00Z'),
          serial,
        });
        session.trap(trapOid, varbinds as never, () => undefined);
      } else {
        sock.send(kinds[i % kinds.length](), port, '127.0.0.1');
      }
      if (i % 200 === 199) await sleep(10);
    }
    const rejected = () => Object.values(ingest.stats.rejected).reduce((a, b) => a + b, 0);
    const counted = () => ingest.stats.received + rejected() + ingest.stats.kernelDrops - before.drops;
    await waitFor(() => counted() >= TOTAL, 30_000, `every datagram counted (${counted()})`);
    await sleep(1100); // one more counter post: nothing counted twice
    session.close();
    sock.close();
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `fuzz: ${TOTAL} datagrams in ${secs.toFixed(1)} s; received ${ingest.stats.received}, rejected ${JSON.stringify(ingest.stats.rejected)}, kernel drops ${ingest.stats.kernelDrops - before.drops}`,
    );
    expect(counted()).toBe(TOTAL);
    expect(ingest.restarts).toBe(0);
    expect(ingest.listening).toBe(true);
    const drops = ingest.stats.kernelDrops - before.drops;
    // Every valid trap is an event (unless the kernel dropped it), and nothing else is.
    const serials = new Set(events.filter((e) => e.node === 'XT-A1').map((e) => e.serial));
    expect(events.length).toBe(serials.size);
    expect(serials.size).toBeGreaterThanOrEqual(valid - drops);
    expect(drops, 'kernel drops (the machine is too loaded for this pace)').toBeLessThan(TOTAL / 2);
    expect(
      events.every((e) => e.kind === 'raise' && e.node === 'XT-A1' && e.type === 'LOS' && e.object === `9-${e.serial}`),
    ).toBe(true);
    expect(ingest.stats.received).toBe(serials.size);
    for (const r of ['malformed', 'bad-community', 'unsupported', 'incomplete'])
      expect(ingest.stats.rejected[r], r).toBeGreaterThan(0);
  }, 90_000);
});

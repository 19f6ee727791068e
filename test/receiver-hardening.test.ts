// The trap receiver thread against datagrams built to kill it, and against its own death.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopologyOrThrow } from '../src/adapters/files/topology-file.js';
import { TrapIngest } from '../src/adapters/snmp/ingest.js';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import type { CanonicalEvent } from '../src/core/alarms/events.js';
import { DEMO } from './helpers/harness.js';
import { freeUdpPort, sleep, waitFor } from './helpers/env.js';
import {
  INFORM,
  INFORM_BIG_INTEGER,
  INFORM_BIG_REQID,
  INFORM_BIT_STRING,
  pdu,
  TRAP_V2,
  v2cMessage,
  varbind,
} from './helpers/packets.js';

describe('trap receiver thread', () => {
  const graph = loadTopologyOrThrow(DEMO);
  const events: CanonicalEvent[] = [];
  let ingest: TrapIngest;
  let port: number;
  let serial = 1000;
  const sendRaw = async (b: Buffer) => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.send(b, port, '127.0.0.1', () => r()));
    s.close();
  };
  const trapGetsThrough = async () => {
    const n = ++serial;
    const t = new TrapSender({ host: '127.0.0.1', port, community: 'public' });
    await t.notify({
      kind: 'raise',
      node: 'XT-A1',
      object: '1-1',
      alarmName: 'R_LOS',
      eventTime: Date.now(),
      serial: n,
    });
    t.close();
    await waitFor(() => events.some((e) => e.serial === n), 5000, `trap ${n} decoded`);
  };

  beforeAll(async () => {
    port = await freeUdpPort();
    ingest = new TrapIngest(
      graph,
      {
        receiver: { host: '127.0.0.1', port, communities: ['public'], users: [], recvBufferBytes: 1 << 20 },
        mappings: [],
        logLevel: 'silent',
      },
      (evs) => events.push(...evs.filter((e): e is CanonicalEvent => e.kind !== 'ems')),
    );
    await ingest.start();
  });
  afterAll(() => ingest.close());

  it('survives the 30-byte INFORM with a request-id outside int32, an INTEGER outside int32 and a BIT STRING', async () => {
    expect(INFORM_BIG_REQID.length).toBe(30);
    for (const p of [INFORM_BIG_REQID, INFORM_BIG_INTEGER, INFORM_BIT_STRING]) await sendRaw(p);
    await waitFor(() => (ingest.stats.rejected.malformed ?? 0) >= 3, 5000, 'three datagrams counted as malformed');
    await trapGetsThrough();
    expect(ingest.restarts).toBe(0);
  });

  it('a notification without snmpTrapOID (a trap and an INFORM) is counted once each, as malformed', async () => {
    const counted = () =>
      ingest.stats.received +
      Object.values(ingest.stats.rejected).reduce((a, b) => a + b, 0) +
      ingest.stats.kernelDrops;
    const [before, malformed, n] = [counted(), ingest.stats.rejected.malformed ?? 0, events.length];
    // Only sysUpTime (1.3.6.1.2.1.1.3.0 = TimeTicks 1), no snmpTrapOID.0 varbind.
    for (const tag of [TRAP_V2, INFORM])
      await sendRaw(v2cMessage(pdu(tag, Buffer.from('020101', 'hex'), [varbind(Buffer.from('430101', 'hex'))])));
    await waitFor(() => counted() >= before + 2, 5000, 'both counted');
    await sleep(1200); // the thread posts its counters every second: a second count would show now
    expect(counted() - before).toBe(2);
    expect((ingest.stats.rejected.malformed ?? 0) - malformed).toBe(2);
    expect(events.length).toBe(n);
  });

  it('restarts a receiver thread that dies, on the same port, and keeps its counters', async () => {
    const before = ingest.stats.received;
    await (ingest as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await waitFor(() => ingest.restarts === 1 && ingest.listening, 10_000, 'restart');
    await trapGetsThrough();
    expect(ingest.lastRestart?.reason).toMatch(/exit code/);
    expect(ingest.stats.received).toBeGreaterThan(before);
    expect(ingest.stats.rejected.malformed).toBeGreaterThanOrEqual(3);
  });
});

// The trap receiver thread against datagrams built to kill it, and against its own death.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopologyOrThrow } from '../src/adapters/files/topology-file.js';
import { TrapIngest } from '../src/adapters/snmp/ingest.js';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import type { CanonicalEvent } from '../src/core/alarms/events.js';
import { DEMO } from './helpers/harness.js';
import { freeUdpPort, waitFor } from './helpers/env.js';
import { INFORM_BIG_INTEGER, INFORM_BIG_REQID, INFORM_BIT_STRING } from './helpers/packets.js';

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

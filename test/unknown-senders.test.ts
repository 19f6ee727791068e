// Garbage must not become alarms: NEs not in the topology, truncated datagrams, notifications
// missing a required varbind. Through the real service (SNMP over loopback, SQLite, HTTP).
import dgram from 'node:dgram';
import snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import type { Service } from '../src/service.js';
import { sleep, waitFor } from './helpers/env.js';
import { startOnDemo } from './helpers/service.js';
import { capture } from './helpers/packets.js';

const RG = '1.3.6.1.4.1.32473.1';
const str = (n: number, value: string) => ({ oid: `${RG}.1.${n}.0`, type: snmp.ObjectType.OctetString, value });

describe('input that must not become alarms', () => {
  let svc: Service;
  let db: string;
  const api = async (path: string) => (await fetch(`http://127.0.0.1:${svc.httpPort}${path}`)).json() as Promise<any>;
  const metric = async (name: string) => {
    const text = await (await fetch(`http://127.0.0.1:${svc.httpPort}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
    return line ? Number(line.split(' ').pop()) : NaN;
  };
  const sendRaw = async (b: Buffer) => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.send(b, svc.trapPort, '127.0.0.1', () => r()));
    s.close();
  };

  beforeAll(async () => {
    const started = await startOnDemo();
    db = started.db;
    svc = started;
  });
  afterAll(() => svc.stop());

  it('2,000 made-up NE names: listed at /api/v1/unknown-senders, counted, no incident, no ticket', async () => {
    const t = new TrapSender({ host: '127.0.0.1', port: svc.trapPort, community: 'public' });
    for (let i = 0; i < 2000; i++) {
      void t.notify({
        kind: 'raise',
        node: `FAKE-${i % 200}`,
        object: '1-1',
        alarmName: 'R_LOS',
        eventTime: Date.now(),
        serial: i,
      });
      if (i % 100 === 99) await sleep(5);
    }
    await waitFor(
      async () =>
        (await api('/api/v1/unknown-senders')).items.reduce((a: number, r: { count: number }) => a + r.count, 0) >=
        2000,
      10_000,
      'all 2,000 listed',
    );
    t.close();
    const { items } = await api('/api/v1/unknown-senders');
    expect(items).toHaveLength(200);
    expect(items.find((r: { sender: string }) => r.sender === 'FAKE-7')).toMatchObject({
      sender: 'FAKE-7',
      address: '127.0.0.1',
      count: 10,
    });
    expect(Date.parse(items[0].firstSeen)).toBeLessThanOrEqual(Date.parse(items[0].lastSeen));
    await sleep(500); // past the hold-down
    expect((await api('/api/v1/incidents')).items).toEqual([]);
    expect((await api('/api/v1/tickets')).items).toEqual([]);
    expect((await api('/api/v1/alarms')).items).toEqual([]);
    expect(await metric('ringguard_unknown_sender_notifications_total')).toBe(2000);
    // Kept across a restart.
    if (svc.pipeline) await svc.stop();
    svc = await startOnDemo({ db });
    expect((await api('/api/v1/unknown-senders')).items).toHaveLength(200);
  });

  it('a truncated trap and a trap without its location varbind are rejected, the whole trap raises its alarm', async () => {
    const varbinds = (loc: boolean) => [
      str(1, 'XT-A1'),
      ...(loc ? [str(2, '1-1')] : []),
      str(3, 'R_LOS'),
      { oid: `${RG}.1.4.0`, type: snmp.ObjectType.Integer, value: 3 },
      str(5, new Date().toISOString()),
      { oid: `${RG}.1.6.0`, type: snmp.ObjectType.Gauge, value: 77 },
    ];
    const whole = await capture((s) => s.trap(`${RG}.0.1`, varbinds(true) as never, () => undefined));
    const noLocation = await capture((s) => s.trap(`${RG}.0.1`, varbinds(false) as never, () => undefined));
    const m0 = await metric('ringguard_traps_rejected_total{reason="malformed"}');
    // Cut after the severity varbind: net-snmp alone would decode the first varbinds as a complete trap.
    await sendRaw(whole.subarray(0, Math.floor(whole.length * 0.63)));
    await sendRaw(noLocation);
    await waitFor(
      async () => (await metric('ringguard_traps_rejected_total{reason="incomplete"}')) >= 1,
      5000,
      'incomplete counted',
    );
    await waitFor(
      async () => (await metric('ringguard_traps_rejected_total{reason="malformed"}')) >= m0 + 1,
      5000,
      'truncated counted',
    );
    await sleep(300);
    expect((await api('/api/v1/alarms')).items).toEqual([]);
    await sendRaw(whole);
    await waitFor(
      async () => (await api('/api/v1/alarms')).items.length === 1,
      5000,
      'the whole trap raised its alarm',
    );
    expect((await api('/api/v1/alarms')).items[0]).toMatchObject({
      node: 'XT-A1',
      object: '1-1',
      type: 'LOS',
      severity: 'critical',
    });
  });
});

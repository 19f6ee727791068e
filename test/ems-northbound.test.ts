// Huawei EMS northbound (T2000/U2000 HW-IMAPV1NORTHBOUND-TRAP-MIB and the iMAP layout) into a
// default `ringguard serve`: traps built from the published OIDs, sent over loopback with
// net-snmp and with Debian snmptrap; keepalive watch, EMS resync, and the span-cut drill sent
// through the EMS against the native drill.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HW_IMAP,
  HW_V1,
  nbiAlarm,
  nbiKeepalive,
  nbiSyncEnd,
  nbiSyncStart,
  type NbiAlarm,
  type NbiLayout,
} from '../src/adapters/snmp/huawei-nbi.js';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import { resolveConfig } from '../src/cli/config.js';
import { runSimulate } from '../src/cli/simulate.js';
import type { AlarmView } from '../src/core/model.js';
import { startService, type Service } from '../src/service.js';
import { DEMO } from './helpers/harness.js';
import { freeTcpPort, freeUdpPort, itWith, run, sleep, waitFor } from './helpers/env.js';

async function serve(configYaml?: string): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-nbi-'));
  let file: string | undefined;
  if (configYaml) writeFileSync((file = join(dir, 'ringguard.yaml')), configYaml);
  const cfg = resolveConfig(
    {
      db: join(dir, 'rg.db'),
      httpPort: String(await freeTcpPort()),
      trapPort: String(await freeUdpPort()),
      holdDownMs: '300',
      topology: DEMO,
    },
    {},
    file,
  );
  return startService(cfg, pino({ level: process.env.RG_DEBUG ? 'info' : 'silent' }), {});
}

const alarms = (svc: Service, state: 'active' | 'cleared' | 'all' = 'all'): AlarmView[] =>
  svc.store.listAlarms({ state, limit: 1000 }).items;
const alarmOf = (svc: Service, node: string, object: string, type: string) =>
  alarms(svc).find((a) => a.node === node && a.object === object && a.type === type);
/** Every notification sent so far decoded and through the pipeline. */
const settled = (svc: Service, sent: number) =>
  waitFor(
    () => {
      const p = svc.progress();
      return p.trapsReceived >= sent && p.queued === 0;
    },
    10_000,
    'notifications received',
  );

let serial = 5000;
const alarm = (ne: string, object: string, name: string, severity: string, clear = false): NbiAlarm => ({
  ne,
  object,
  name,
  severity,
  clear,
  time: Date.now(),
  serial: serial++,
});

describe('Huawei EMS northbound into a default ringguard serve (no --mappings)', () => {
  let svc: Service;
  let ems: TrapSender;
  let sent = 0;
  const send = async (t: { trapOid: string; varbinds: unknown[] }) => {
    await ems.send(t.trapOid, t.varbinds as never);
    sent++;
  };
  beforeAll(async () => {
    svc = await serve();
    ems = new TrapSender({ host: '127.0.0.1', port: svc.trapPort, community: 'public', version: '2c' });
  });
  afterAll(async () => {
    ems.close();
    await svc.stop();
  });

  for (const layout of ['v1', 'imap'] as NbiLayout[]) {
    it(`${layout}: a critical R_LOS is a critical LOS on the right NE and port, its recovery clears it, a keepalive is no alarm`, async () => {
      const node = layout === 'v1' ? 'XT-A2' : 'XT-B2';
      const before = alarms(svc).length;
      await send(nbiKeepalive(layout));
      await settled(svc, sent);
      await sleep(100);
      expect(alarms(svc).length, 'a keepalive raises nothing').toBe(before);

      await send(nbiAlarm(layout, alarm(node, '2-1', 'R_LOS', 'critical')));
      const a = await waitFor(() => alarmOf(svc, node, '2-1', 'LOS'), 5000, 'LOS alarm');
      expect(a).toMatchObject({
        state: 'active',
        severity: 'critical',
        vendorName: 'R_LOS',
        text: expect.stringContaining('neType=OptiX OSN 3500'),
      });
      await send(nbiAlarm(layout, alarm(node, '2-1', 'R_LOS', 'critical', true)));
      await waitFor(() => alarmOf(svc, node, '2-1', 'LOS')?.state === 'cleared', 5000, 'LOS cleared');
      expect(alarms(svc).length).toBe(before + 1);
      expect(alarms(svc).filter((x) => x.type.startsWith('UNKNOWN:'))).toEqual([]);
    });
  }

  it('v1: a tributary channel, a board alarm without a port, and EMS events and acknowledgements (not alarm changes)', async () => {
    await send(nbiAlarm('v1', alarm('XT-A3', '4-1:3', 'TU_AIS', 'major')));
    await send(nbiAlarm('v1', alarm('XT-A3', '', 'HARD_BAD', 'critical')));
    const ack = nbiAlarm('v1', alarm('XT-A3', '1-1', 'R_LOS', 'critical'));
    ack.varbinds = ack.varbinds.map((v) => (v.oid === `${HW_V1.info}.10.0` ? { ...v, value: 'Acknowledge' } : v));
    await send(ack);
    await waitFor(
      () => alarmOf(svc, 'XT-A3', '4-1:3', 'TU-AIS') && alarmOf(svc, 'XT-A3', '', 'HW-FAIL'),
      5000,
      'TU-AIS and HW-FAIL',
    );
    await settled(svc, sent);
    await sleep(100);
    expect(alarmOf(svc, 'XT-A3', '1-1', 'LOS'), 'an acknowledgement is not a raise').toBeUndefined();
    expect(alarms(svc).filter((x) => x.type.startsWith('UNKNOWN:'))).toEqual([]);
  });

  for (const layout of ['v1', 'imap'] as NbiLayout[]) {
    it(`${layout}: a resync (start, rows, end) clears a missed alarm and does not duplicate an active one`, async () => {
      const [n1, n2] = layout === 'v1' ? ['XT-B3', 'XT-B4'] : ['XT-A4', 'XT-A5'];
      await send(nbiAlarm(layout, alarm(n1, '1-1', 'R_LOS', 'critical')));
      await send(nbiAlarm(layout, alarm(n2, '4-1:2', 'TU_AIS', 'major')));
      await waitFor(() => alarmOf(svc, n1, '1-1', 'LOS') && alarmOf(svc, n2, '4-1:2', 'TU-AIS'), 5000, 'both raised');
      // The recovery of n1's LOS is lost on the way; the EMS then synchronises: only n2's TU_AIS
      // and an alarm ringguard missed entirely (n2 2-1 R_LOF) are still active.
      await send(nbiSyncStart(layout));
      await send(nbiAlarm(layout, alarm(n2, '4-1:2', 'TU_AIS', 'major'), true));
      await send(nbiAlarm(layout, alarm(n2, '2-1', 'R_LOF', 'critical'), true));
      await send(nbiSyncEnd(layout));
      await waitFor(() => alarmOf(svc, n1, '1-1', 'LOS')?.state === 'cleared', 5000, 'missed clear reconciled');
      expect(alarmOf(svc, n1, '1-1', 'LOS')).toMatchObject({ clearedBy: 'resync' });
      await waitFor(() => alarmOf(svc, n2, '2-1', 'LOF')?.state === 'active', 5000, 'missed raise reconciled');
      expect(alarmOf(svc, n2, '4-1:2', 'TU-AIS')).toMatchObject({ state: 'active', count: 1 });
      expect(alarms(svc).filter((a) => a.node === n2 && a.type === 'TU-AIS')).toHaveLength(1);
    });
  }

  it('v1: a synchronisation that stops half way clears nothing', async () => {
    await send(nbiAlarm('v1', alarm('XT-B1', '2-1', 'R_LOS', 'critical')));
    await waitFor(() => alarmOf(svc, 'XT-B1', '2-1', 'LOS'), 5000, 'raised');
    await send(nbiSyncStart('v1'));
    await send(nbiSyncEnd('v1', 2));
    await settled(svc, sent);
    await sleep(150);
    expect(alarmOf(svc, 'XT-B1', '2-1', 'LOS')?.state).toBe('active');
  });

  itWith(['snmptrap'])('Debian snmptrap: V1 critical R_LOS and recovery, iMAP fault and clear, keepalive', async () => {
    const v1 = (flag: string, serialNo: number) => [
      '-v',
      '2c',
      '-c',
      'public',
      '-m',
      '',
      `127.0.0.1:${svc.trapPort}`,
      '',
      `${HW_V1.info}.0.3`,
      `${HW_V1.info}.1.0`,
      's',
      'XT-A5',
      `${HW_V1.info}.2.0`,
      's',
      'OptiX OSN 2500',
      `${HW_V1.info}.3.0`,
      's',
      'Shelf=1,Slot=1,Port=1',
      `${HW_V1.info}.5.0`,
      's',
      '2026-11-29 05:10:00',
      `${HW_V1.info}.7.0`,
      's',
      'Critical',
      `${HW_V1.info}.10.0`,
      's',
      flag,
      `${HW_V1.info}.13.0`,
      'i',
      String(serialNo),
      `${HW_V1.info}.24.0`,
      's',
      'R_LOS',
    ];
    expect((await run('snmptrap', v1('Fault', 9001))).code).toBe(0);
    const a = await waitFor(() => alarmOf(svc, 'XT-A5', '1-1', 'LOS'), 5000, 'snmptrap V1 LOS');
    expect(a).toMatchObject({ severity: 'critical', state: 'active', raisedAt: '2026-11-29T05:10:00.000Z' });
    expect((await run('snmptrap', v1('Recovery', 9002))).code).toBe(0);
    await waitFor(() => alarmOf(svc, 'XT-A5', '1-1', 'LOS')?.state === 'cleared', 5000, 'snmptrap V1 recovery');

    const I = HW_IMAP.alarm;
    const imap = (category: string, level: string, csn: string) => [
      '-v',
      '2c',
      '-c',
      'public',
      '-m',
      '',
      `127.0.0.1:${svc.trapPort}`,
      '',
      HW_IMAP.report,
      `${I}.1.0`,
      's',
      csn,
      `${I}.2.0`,
      's',
      category,
      `${I}.3.0`,
      's',
      '2026-11-29 13:10:00 UTC+08:00',
      `${I}.4.0`,
      's',
      'XT-A6',
      `${I}.6.0`,
      's',
      'OptiX OSN 3500',
      `${I}.11.0`,
      'i',
      level,
      `${I}.28.0`,
      's',
      'MS_AIS',
      `${I}.51.0`,
      's',
      'Shelf=1, Slot=2, Port=1',
    ];
    expect((await run('snmptrap', imap('1', '2', '77001'))).code).toBe(0);
    const m = await waitFor(() => alarmOf(svc, 'XT-A6', '2-1', 'MS-AIS'), 5000, 'snmptrap iMAP MS-AIS');
    expect(m).toMatchObject({ severity: 'major', state: 'active', raisedAt: '2026-11-29T05:10:00.000Z' });
    expect((await run('snmptrap', imap('2', '6', '77002'))).code).toBe(0);
    await waitFor(() => alarmOf(svc, 'XT-A6', '2-1', 'MS-AIS')?.state === 'cleared', 5000, 'snmptrap iMAP clear');

    const before = alarms(svc).length;
    expect(
      (await run('snmptrap', ['-v', '2c', '-c', 'public', '-m', '', `127.0.0.1:${svc.trapPort}`, '', HW_V1.keepAlive]))
        .code,
    ).toBe(0);
    await sleep(200);
    expect(alarms(svc).length).toBe(before);
    expect(alarms(svc).filter((x) => x.type.startsWith('UNKNOWN:'))).toEqual([]);
  });
});

describe('the NBI link and the EMS name map (config file `ems:`)', () => {
  it('a keepalive gap raises EMS-LINK-DOWN on the EMS (management only), the next keepalive clears it', async () => {
    const svc = await serve(
      'ems:\n  keepaliveMs: 300\n  keepaliveMisses: 2\n  systems: [{ id: U2000-XT, host: 127.0.0.1 }]\n',
    );
    const ems = new TrapSender({ host: '127.0.0.1', port: svc.trapPort, community: 'public', version: '2c' });
    try {
      const ka = nbiKeepalive('v1');
      for (let i = 0; i < 4; i++) {
        await ems.send(ka.trapOid, ka.varbinds as never);
        await sleep(150);
      }
      expect(alarmOf(svc, 'U2000-XT', '', 'EMS-LINK-DOWN'), 'keepalives on time').toBeUndefined();
      const down = await waitFor(() => alarmOf(svc, 'U2000-XT', '', 'EMS-LINK-DOWN'), 5000, 'EMS-LINK-DOWN');
      expect(down).toMatchObject({ state: 'active', severity: 'major' });
      const inc = await waitFor(
        () =>
          svc.store.listIncidents({ state: 'open', limit: 100 }).items.find((i) => i.rootAlarmIds.includes(down.id)),
        5000,
        'its incident',
      );
      expect(inc.affectedCircuits).toEqual([]);
      const tk = await waitFor(
        () => svc.store.ticketsSince(0, 100).find((t) => t.incidentId === inc.id),
        5000,
        'its ticket',
      );
      expect(tk).toMatchObject({ priority: 'P4', escalation: { level: 1 } });
      await ems.send(ka.trapOid, ka.varbinds as never);
      await waitFor(() => alarmOf(svc, 'U2000-XT', '', 'EMS-LINK-DOWN')?.state === 'cleared', 5000, 'link up');
    } finally {
      ems.close();
      await svc.stop();
    }
  }, 20_000);

  it('an EMS NE name that differs from the topology id goes through the name map', async () => {
    const svc = await serve('ems:\n  names: { "Xiangtan-ADM-A2": XT-A2 }\n');
    const ems = new TrapSender({ host: '127.0.0.1', port: svc.trapPort, community: 'public', version: '2c' });
    try {
      const t = nbiAlarm('v1', alarm('Xiangtan-ADM-A2', '1-1', 'R_LOS', 'critical'));
      await ems.send(t.trapOid, t.varbinds as never);
      const a = await waitFor(() => alarmOf(svc, 'XT-A2', '1-1', 'LOS'), 5000, 'mapped name');
      expect(a.state).toBe('active');
      expect(alarms(svc).some((x) => x.node === 'Xiangtan-ADM-A2')).toBe(false);
    } finally {
      ems.close();
      await svc.stop();
    }
  });
});

describe('ringguard asks the EMS for its alarms (SET on the NBI agent) and reconciles its answer', () => {
  it('at start, and when the NBI link comes back after EMS-LINK-DOWN', async () => {
    // The EMS's NBI agent (net-snmp): a SET of hwNmNorthboundEventSynchronizationCommandStart
    // makes this "EMS" send its synchronisation (start, one row per active alarm, end).
    const agentPort = await freeUdpPort();
    const agent = snmp.createAgent(
      { port: agentPort, address: '127.0.0.1', accessControlModelType: snmp.AccessControlModelType.None } as never,
      () => undefined,
    );
    agent.getAuthorizer().addCommunity('nbi-rw');
    const emsActive: NbiAlarm[] = [alarm('XT-A1', '1-1', 'R_LOS', 'critical')];
    const requests: string[] = [];
    let target: TrapSender | null = null;
    const answering: Array<Promise<void>> = [];
    const seen = new WeakSet<object>();
    agent.getMib().registerProvider({
      name: 'syncStart',
      type: snmp.MibProviderType.Scalar,
      oid: '1.3.6.1.4.1.2011.2.15.1.7.7.4',
      scalarType: snmp.ObjectType.OctetString,
      maxAccess: snmp.MaxAccess['read-write'],
      handler: (req: { operation: number; done: () => void }) => {
        req.done();
        // net-snmp runs a SET's handlers twice (a test pass, then the commit) on the same request.
        if (req.operation !== snmp.PduType.SetRequest || seen.has(req)) return;
        seen.add(req);
        requests.push(new Date().toISOString());
        answering.push(
          (async () => {
            for (const t of [
              nbiSyncStart('v1'),
              ...emsActive.map((a) => nbiAlarm('v1', { ...a, serial: serial++ }, true)),
              nbiSyncEnd('v1'),
            ]) {
              if (!target) return; // the test is over
              await target.send(t.trapOid, t.varbinds as never);
            }
          })(),
        );
      },
    } as never);
    agent.getMib().setScalarValue('syncStart', '');
    await sleep(50);
    const svc = await serve(
      `ems:\n  keepaliveMs: 300\n  keepaliveMisses: 2\n  systems: [{ id: U2000-XT, host: 127.0.0.1, agent: { port: ${agentPort}, community: nbi-rw } }]\n`,
    );
    target = new TrapSender({ host: '127.0.0.1', port: svc.trapPort, community: 'public', version: '2c' });
    try {
      // At start: asked, and the alarm ringguard had never seen is raised from the EMS's rows.
      await waitFor(() => requests.length >= 1, 5000, 'a synchronisation request at start');
      const los = await waitFor(() => alarmOf(svc, 'XT-A1', '1-1', 'LOS'), 5000, "the EMS's active alarm");
      expect(los.state).toBe('active');
      // The link goes quiet; meanwhile the LOS clears on the EMS and its recovery is lost.
      await waitFor(() => alarmOf(svc, 'U2000-XT', '', 'EMS-LINK-DOWN')?.state === 'active', 5000, 'EMS-LINK-DOWN');
      emsActive.length = 0;
      const ka = nbiKeepalive('v1');
      await target.send(ka.trapOid, ka.varbinds as never);
      await waitFor(() => requests.length >= 2, 5000, 'a synchronisation request when the link is back');
      await waitFor(
        () => alarmOf(svc, 'XT-A1', '1-1', 'LOS')?.state === 'cleared',
        5000,
        'the missed recovery reconciled',
      );
      expect(alarmOf(svc, 'XT-A1', '1-1', 'LOS')).toMatchObject({ clearedBy: 'resync' });
      expect(alarmOf(svc, 'U2000-XT', '', 'EMS-LINK-DOWN')?.state).toBe('cleared');
      // A gap in the EMS's serials: asked again.
      await sleep(700);
      for (const a of [
        alarm('XT-A2', '1-1', 'R_LOS', 'critical'),
        { ...alarm('XT-A2', '2-1', 'R_LOS', 'critical'), serial: serial + 20 },
      ]) {
        const t = nbiAlarm('v1', a);
        await target.send(t.trapOid, t.varbinds as never);
      }
      await waitFor(() => requests.length >= 3, 5000, 'a synchronisation request after a serial gap');
    } finally {
      await Promise.all(answering);
      const t = target;
      target = null;
      t.close();
      await svc.stop();
      await new Promise<void>((r) => agent.close(() => r()));
    }
  }, 20_000);
});

/** The outcome of a drill, without ids and times: what a NOC engineer compares. */
async function drill(args: { vendor?: 'native' | 'huawei'; layout?: NbiLayout; replay?: string }) {
  const svc = await serve();
  try {
    const code = await runSimulate(args.replay ? undefined : 'span-cut', {
      list: false,
      target: `127.0.0.1:${svc.trapPort}`,
      topology: DEMO,
      rate: 2000,
      community: 'public',
      inform: false,
      ...args,
    });
    expect(code).toBe(0);
    const open = () => svc.store.listIncidents({ state: 'open', limit: 100 }).items;
    await waitFor(
      () => {
        const p = svc.progress();
        return p.queued === 0 && p.pending === 0 && open().length > 0 && svc.store.ticketsSince(0, 100).length > 0;
      },
      10_000,
      'incident and ticket',
    );
    await sleep(500); // switch events after the hold-down, the batched write
    const incidents = open().map((i) => ({
      kind: i.kind,
      spans: i.spans,
      nodes: i.nodes,
      affected: [...i.affectedCircuits].sort(),
      alarmCount: i.alarmCount,
    }));
    const tickets = svc.store.ticketsSince(0, 100).map((t) => ({
      kind: t.kind,
      priority: t.priority,
      affected: [...t.affectedCircuits].sort(),
      customers: [...t.customers].sort(),
      level: t.escalation.level,
    }));
    const circuits = Object.fromEntries(
      svc.store.listCircuits({}).map((c) => [c.id, `${c.state}/${c.activePath}/${c.protectionAvailable}`]),
    );
    return { incidents, tickets, circuits, unknown: alarms(svc).filter((a) => a.type.startsWith('UNKNOWN:')).length };
  } finally {
    await svc.stop();
  }
}

describe('the span-cut drill through a Huawei EMS gives what the native drill gives', () => {
  let native: Awaited<ReturnType<typeof drill>>;
  beforeAll(async () => {
    native = await drill({ vendor: 'native' });
    expect(native.incidents.map((i) => i.kind)).toEqual(['span-cut']);
  }, 30_000);

  for (const layout of ['v1', 'imap'] as NbiLayout[]) {
    it(`simulate span-cut --vendor huawei --layout ${layout}`, async () => {
      const huawei = await drill({ vendor: 'huawei', layout });
      expect(huawei).toEqual(native);
    }, 30_000);
  }

  it('the recorded NBI fixture (fixtures/nbi/huawei-span-cut.yaml) replayed', async () => {
    const replayed = await drill({ replay: new URL('../fixtures/nbi/huawei-span-cut.yaml', import.meta.url).pathname });
    expect(replayed).toEqual(native);
  }, 30_000);
});

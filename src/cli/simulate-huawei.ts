// `ringguard simulate --vendor huawei`: a drill sent as a Huawei EMS would forward it over its
// northbound interface (T2000/U2000 V1 layout, or iMAP), and `--replay FILE`: a recorded NBI
// trap file (fixtures/nbi/) sent as is.
import { readFileSync } from 'node:fs';
import snmp from 'net-snmp';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { nbiAlarm, nbiKeepalive, type NbiLayout, type NbiTrap } from '../adapters/snmp/huawei-nbi.js';
import type { TrapSender } from '../adapters/snmp/sender.js';
import type { SimNotification } from '../simulation/scenarios.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One drill notification as the EMS's: alarms and clears as alarm notifications; a protection
 * switch as the EMS's switching indication APS_INDI (raised: to protection, cleared: back to
 * working). A `failed` switch has no NBI form and is not sent.
 */
export function toNbi(layout: NbiLayout, n: SimNotification, time: number, serial: number): NbiTrap | undefined {
  if (n.kind === 'switch') {
    if (n.state === 'failed') return undefined;
    return nbiAlarm(layout, {
      ne: n.node,
      object: n.object,
      name: 'APS_INDI',
      severity: 'warning',
      clear: n.state === 'toWorking',
      time,
      serial,
    });
  }
  return nbiAlarm(layout, {
    ne: n.node,
    object: n.object,
    name: n.alarmName,
    severity: n.severity ?? 'major',
    clear: n.kind === 'clear',
    time,
    serial,
  });
}

/** Sends the drill's notifications through the EMS (one serial counter for the EMS), after a keepalive. */
export async function sendHuawei(
  sender: TrapSender,
  layout: NbiLayout,
  list: SimNotification[],
  rate: number,
  serial: () => number,
): Promise<number> {
  const ka = nbiKeepalive(layout);
  await sender.send(ka.trapOid, ka.varbinds);
  const gap = rate > 0 ? 1000 / rate : 0;
  const start = Date.now();
  let i = 0;
  for (const n of list) {
    const t = toNbi(layout, n, Date.now(), serial());
    if (!t) continue;
    await sender.send(t.trapOid, t.varbinds);
    i++;
    const wait = start + i * gap - Date.now();
    if (wait > 1) await sleep(wait);
  }
  return i;
}

const TYPES: Record<string, number> = {
  s: snmp.ObjectType.OctetString,
  i: snmp.ObjectType.Integer,
  u: snmp.ObjectType.Gauge,
  a: snmp.ObjectType.IpAddress,
  t: snmp.ObjectType.TimeTicks,
  o: snmp.ObjectType.OID,
};
const ReplayFile = z.object({
  description: z.string().optional(),
  traps: z
    .array(
      z.object({
        /** ms after the previous trap. */
        after: z.number().int().min(0).default(0),
        trap: z.string().regex(/^\d+(\.\d+)+$/),
        comment: z.string().optional(),
        /** [OID, snmptrap type letter (s i u a t o), value] */
        varbinds: z
          .array(
            z.tuple([
              z.string().regex(/^\d+(\.\d+)+$/),
              z.enum(['s', 'i', 'u', 'a', 't', 'o']),
              z.union([z.string(), z.number()]),
            ]),
          )
          .default([]),
      }),
    )
    .min(1),
});
export type ReplayTrap = z.infer<typeof ReplayFile>['traps'][number];

export function loadReplay(file: string): { description?: string; traps: ReplayTrap[] } {
  const r = ReplayFile.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`${file}: ${i.path.join('.')}: ${i.message}`);
  }
  return r.data;
}

/** Sends a recorded trap file as is (times and serials included); returns how many were sent. */
export async function replay(sender: TrapSender, traps: ReplayTrap[], speed = 1): Promise<number> {
  for (const t of traps) {
    if (t.after > 0) await sleep(t.after / speed);
    const vbs = t.varbinds.map(([oid, ty, value]) => ({
      oid,
      type: TYPES[ty],
      value: ty === 's' || ty === 'a' || ty === 'o' ? String(value) : Number(value),
    }));
    await sender.send(t.trap, vbs);
  }
  return traps.length;
}

// Huawei EMS northbound notifications, built from the published MIBs' OIDs (see
// mibs/huawei-t2000-nbi.yaml and mibs/huawei-imap-nbi.yaml): the T2000/U2000 V1 layout
// (HW-IMAPV1NORTHBOUND-TRAP-MIB) and the iMAP layout. Used by `ringguard simulate --vendor
// huawei` and the tests; net-snmp does the encoding.
import snmp from 'net-snmp';

export const HW_V1 = {
  info: '1.3.6.1.4.1.2011.2.15.1.7.1',
  /** hwNmNorthboundEventNotify{Critical,Major,Minor,Warning,Indefinitely,UnknownSeverity} = info.0.3 … .0.8 */
  notifyBySeverity: { critical: 3, major: 4, minor: 5, warning: 6, indeterminate: 7 } as Record<string, number>,
  keepAlive: '1.3.6.1.4.1.2011.2.15.1.7.2.0.2',
  syncStart: '1.3.6.1.4.1.2011.2.15.1.7.7.1.0.9',
  syncRow: '1.3.6.1.4.1.2011.2.15.1.7.7.2.0.10',
  syncEnd: '1.3.6.1.4.1.2011.2.15.1.7.7.3.0.11',
  syncEndStatus: '1.3.6.1.4.1.2011.2.15.1.7.7.3.1.0',
} as const;

export const HW_IMAP = {
  alarm: '1.3.6.1.4.1.2011.2.15.2.4.3.3',
  report: '1.3.6.1.4.1.2011.2.15.2.4.3.3.0.1',
  queryBegin: '1.3.6.1.4.1.2011.2.15.2.4.3.3.0.2',
  queryRow: '1.3.6.1.4.1.2011.2.15.2.4.3.3.0.3',
  queryEnd: '1.3.6.1.4.1.2011.2.15.2.4.3.3.0.4',
  heartbeat: '1.3.6.1.4.1.2011.2.15.2.1.2.1.1.1.0.5',
  heartbeatInfo: '1.3.6.1.4.1.2011.2.15.2.1.2.1.1.1',
} as const;

export type NbiLayout = 'v1' | 'imap';
export const NBI_LAYOUTS: readonly NbiLayout[] = ['v1', 'imap'];

export interface NbiAlarm {
  ne: string;
  /** Topology port naming: `SLOT-PORT`, `SLOT-PORT:CHANNEL`, or '' for the NE. */
  object: string;
  name: string;
  severity: string;
  clear: boolean;
  time: number;
  serial: number;
  neType?: string;
}

type Varbind = snmp.Varbind;
export interface NbiTrap {
  trapOid: string;
  varbinds: Varbind[];
}

const str = (oid: string, value: string): Varbind => ({ oid, type: snmp.ObjectType.OctetString, value });
const int = (oid: string, value: number): Varbind => ({ oid, type: snmp.ObjectType.Integer, value });
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `11-1:3` as the EMS's object instance `Shelf=1,Slot=11,Port=1,Path=3`. */
export function objectInstance(object: string): string {
  const m = /^(\d+)-(\d+)(?::(\d+))?$/.exec(object);
  if (!m) return object;
  return `Shelf=1,Slot=${m[1]},Port=${m[2]}${m[3] ? `,Path=${m[3]}` : ''}`;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as the EMS stamps events. */
export function emsTime(t: number): string {
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

function v1Varbinds(a: NbiAlarm): Varbind[] {
  const v = (n: number) => `${HW_V1.info}.${n}.0`;
  return [
    str(v(1), a.ne),
    str(v(2), a.neType ?? 'OptiX OSN 3500'),
    str(v(3), objectInstance(a.object)),
    str(v(4), 'communicationsAlarm'),
    str(v(5), emsTime(a.time)),
    str(v(6), a.name),
    str(v(7), cap(a.severity)),
    str(v(8), `${a.name} at ${objectInstance(a.object) || a.ne}`),
    str(v(10), a.clear ? 'Recovery' : 'Fault'),
    int(v(13), a.serial),
    str(v(24), a.name),
  ];
}

function imapVarbinds(a: NbiAlarm): Varbind[] {
  const v = (n: number) => `${HW_IMAP.alarm}.${n}.0`;
  const level: Record<string, number> = { critical: 1, major: 2, minor: 3, warning: 4 };
  return [
    str(v(1), String(a.serial)),
    str(v(2), a.clear ? '2' : '1'),
    str(v(3), emsTime(a.time)),
    str(v(4), a.ne),
    int(v(5), 1),
    str(v(6), a.neType ?? 'OptiX OSN 3500'),
    int(v(11), a.clear ? 6 : (level[a.severity] ?? 2)),
    str(v(28), a.name),
    str(v(30), a.name),
    str(v(50), 'Y'),
    str(v(51), objectInstance(a.object)),
  ];
}

/** A live alarm or clear; `row` for a synchronisation/query result. */
export function nbiAlarm(layout: NbiLayout, a: NbiAlarm, row = false): NbiTrap {
  if (layout === 'imap') return { trapOid: row ? HW_IMAP.queryRow : HW_IMAP.report, varbinds: imapVarbinds(a) };
  const trapOid = row ? HW_V1.syncRow : `${HW_V1.info}.0.${HW_V1.notifyBySeverity[a.severity] ?? 8}`;
  return { trapOid, varbinds: v1Varbinds(a) };
}

export function nbiKeepalive(layout: NbiLayout, periodS = 60): NbiTrap {
  if (layout === 'v1') return { trapOid: HW_V1.keepAlive, varbinds: [] };
  const v = (n: number) => `${HW_IMAP.heartbeatInfo}.${n}.0`;
  return {
    trapOid: HW_IMAP.heartbeat,
    varbinds: [str(v(1), 'iManager U2000'), int(v(2), periodS), str(v(3), emsTime(Date.now()))],
  };
}

export function nbiSyncStart(layout: NbiLayout): NbiTrap {
  return { trapOid: layout === 'v1' ? HW_V1.syncStart : HW_IMAP.queryBegin, varbinds: [] };
}

/** End of a synchronisation: V1 says normalEnd(1), stopped(2) or error(3). */
export function nbiSyncEnd(layout: NbiLayout, status: 1 | 2 | 3 = 1): NbiTrap {
  if (layout === 'imap') return { trapOid: HW_IMAP.queryEnd, varbinds: [] };
  return { trapOid: HW_V1.syncEnd, varbinds: [int(HW_V1.syncEndStatus, status)] };
}

// Canonical alarm catalogue (contract section 2), as data. Pure.

export type Role = 'root' | 'consequent' | 'event';
export type Severity = 'critical' | 'major' | 'minor' | 'warning' | 'indeterminate' | 'cleared';
export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'warning', 'indeterminate', 'cleared'];

export interface AlarmTypeInfo {
  type: string;
  layer: string;
  role: Role;
  severity: Severity;
  aliases: string[];
}

export const CATALOGUE: readonly AlarmTypeInfo[] = [
  { type: 'LOS', layer: 'regenerator-section', role: 'root', severity: 'critical', aliases: ['R_LOS'] },
  { type: 'LOF', layer: 'regenerator-section', role: 'root', severity: 'critical', aliases: ['R_LOF', 'R_OOF'] },
  { type: 'MS-AIS', layer: 'multiplex-section', role: 'consequent', severity: 'major', aliases: ['MS_AIS'] },
  { type: 'MS-RDI', layer: 'multiplex-section', role: 'consequent', severity: 'minor', aliases: ['MS_RDI'] },
  { type: 'AU-AIS', layer: 'high-order-path', role: 'consequent', severity: 'major', aliases: ['AU_AIS'] },
  { type: 'AU-LOP', layer: 'high-order-path', role: 'root', severity: 'major', aliases: ['AU_LOP'] },
  { type: 'HP-RDI', layer: 'high-order-path', role: 'consequent', severity: 'minor', aliases: ['HP_RDI'] },
  { type: 'TU-AIS', layer: 'low-order-path', role: 'consequent', severity: 'major', aliases: ['TU_AIS'] },
  { type: 'TU-LOP', layer: 'low-order-path', role: 'root', severity: 'major', aliases: ['TU_LOP'] },
  { type: 'LP-RDI', layer: 'low-order-path', role: 'consequent', severity: 'minor', aliases: ['LP_RDI'] },
  { type: 'E1-LOS', layer: '2m-tributary', role: 'root', severity: 'major', aliases: ['T_ALOS', 'E1_LOS'] },
  { type: 'E1-AIS', layer: '2m-tributary', role: 'consequent', severity: 'major', aliases: ['E1_AIS', 'UP_E1_AIS', 'T_AIS'] },
  { type: 'IN-PWR-LOW', layer: 'optics', role: 'root', severity: 'minor', aliases: ['IN_PWR_LOW'] },
  { type: 'HW-FAIL', layer: 'equipment', role: 'root', severity: 'critical', aliases: ['HARD_BAD', 'BD_STATUS'] },
  { type: 'POWER-FAIL', layer: 'site-power', role: 'root', severity: 'critical', aliases: ['POWER_FAIL', 'MAINS_FAIL'] },
  { type: 'DYING-GASP', layer: 'customer-equipment', role: 'root', severity: 'critical', aliases: ['DYING_GASP'] },
  { type: 'LINK-DOWN', layer: 'customer-router', role: 'root', severity: 'major', aliases: ['linkDown'] },
  // Consequent when a root explains it (the node is behind a failure), else a root of its own.
  { type: 'NE-UNREACHABLE', layer: 'management', role: 'consequent', severity: 'major', aliases: ['NE_COMMU_BREAK'] },
  // The EMS northbound keepalive stopped: the NOC is blind to that EMS's NEs; nothing about traffic.
  { type: 'EMS-LINK-DOWN', layer: 'management', role: 'root', severity: 'major', aliases: [] },
];

const byType = new Map(CATALOGUE.map((c) => [c.type, c]));
const byAlias = new Map<string, AlarmTypeInfo>();
for (const c of CATALOGUE) {
  byAlias.set(c.type.toUpperCase(), c);
  for (const a of c.aliases) byAlias.set(a.toUpperCase(), c);
}

export const UNKNOWN_PREFIX = 'UNKNOWN:';

/** Canonical type of a vendor alarm name; unknown names become `UNKNOWN:<name>`. */
export function canonicalType(vendorName: string): string {
  const hit = byAlias.get(vendorName.trim().toUpperCase());
  return hit ? hit.type : `${UNKNOWN_PREFIX}${vendorName.trim()}`;
}

export function defaultSeverity(type: string): Severity {
  return byType.get(type)?.severity ?? 'indeterminate';
}

export function layerOf(type: string): string {
  return byType.get(type)?.layer ?? 'unknown';
}

export function roleOf(type: string): Role {
  return byType.get(type)?.role ?? 'root';
}

// Canonical alarm catalogue (contract section 2), as data: the G.783 defect set per layer plus
// equipment, synchronisation, optics and environment alarms, each with its layer, role,
// default severity and vendor names (Huawei OptiX names at least). docs/alarms.md is generated
// from this table (`node scripts/gen-alarm-docs.mjs`); a test checks it is current. Pure.

export const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'indeterminate', 'cleared'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * root: a root candidate (a rule may make it the cause of an incident); consequent: passed on
 * by a fault elsewhere (AIS forward, RDI backward, unreachability), suppressed when explained.
 */
export type Role = 'root' | 'consequent' | 'event';

export const LAYERS = [
  'regenerator-section',
  'multiplex-section',
  'high-order-path',
  'low-order-path',
  '2m-tributary',
  'synchronisation',
  'optics',
  'equipment',
  'environment',
  'site-power',
  'customer-equipment',
  'customer-router',
  'management',
] as const;
export type Layer = (typeof LAYERS)[number];

export interface AlarmTypeInfo {
  readonly type: string;
  readonly layer: Layer;
  readonly role: Role;
  readonly severity: Severity;
  /** Vendor names (Huawei OptiX/T2000 names first). Canonical names are accepted too. */
  readonly aliases: readonly string[];
  /** An error-rate or power degradation: marks a span degraded, never cut. */
  readonly degrade?: true;
  readonly meaning: string;
}

export const CATALOGUE = [
  // Regenerator section (G.783 RS): loss of signal/frame, trace.
  {
    type: 'LOS',
    layer: 'regenerator-section',
    role: 'root',
    severity: 'critical',
    aliases: ['R_LOS'],
    meaning: 'loss of signal (no light)',
  },
  {
    type: 'LOF',
    layer: 'regenerator-section',
    role: 'root',
    severity: 'critical',
    aliases: ['R_LOF', 'R_OOF'],
    meaning: 'loss of frame',
  },
  {
    type: 'OOF',
    layer: 'regenerator-section',
    role: 'root',
    severity: 'major',
    aliases: [],
    meaning: 'out of frame (vendors that report it apart from LOF)',
  },
  {
    type: 'RS-TIM',
    layer: 'regenerator-section',
    role: 'root',
    severity: 'major',
    aliases: ['J0_MM', 'RS_TIM'],
    meaning: 'J0 trace identifier mismatch (misconnected fibre)',
  },
  // Multiplex section.
  {
    type: 'MS-AIS',
    layer: 'multiplex-section',
    role: 'consequent',
    severity: 'major',
    aliases: ['MS_AIS'],
    meaning: 'MS alarm indication signal',
  },
  {
    type: 'MS-RDI',
    layer: 'multiplex-section',
    role: 'consequent',
    severity: 'minor',
    aliases: ['MS_RDI'],
    meaning: 'MS remote defect (far end of a one-fibre cut)',
  },
  {
    type: 'MS-EXC',
    layer: 'multiplex-section',
    role: 'root',
    severity: 'major',
    aliases: ['B2_EXC', 'MS_EXC'],
    degrade: true,
    meaning: 'B2 excessive errors',
  },
  {
    type: 'MS-DEG',
    layer: 'multiplex-section',
    role: 'root',
    severity: 'minor',
    aliases: ['B2_SD', 'MS_DEG', 'MS_SD'],
    degrade: true,
    meaning: 'B2 signal degrade',
  },
  // High-order path (AU-4 / VC-4).
  {
    type: 'AU-AIS',
    layer: 'high-order-path',
    role: 'consequent',
    severity: 'major',
    aliases: ['AU_AIS'],
    meaning: 'AU alarm indication signal',
  },
  {
    type: 'AU-LOP',
    layer: 'high-order-path',
    role: 'root',
    severity: 'major',
    aliases: ['AU_LOP'],
    meaning: 'AU loss of pointer',
  },
  {
    type: 'HP-TIM',
    layer: 'high-order-path',
    role: 'root',
    severity: 'minor',
    aliases: ['HP_TIM', 'J1_MM'],
    meaning: 'J1 trace identifier mismatch',
  },
  {
    type: 'HP-SLM',
    layer: 'high-order-path',
    role: 'root',
    severity: 'minor',
    aliases: ['HP_SLM', 'C2_MM'],
    meaning: 'C2 signal label mismatch',
  },
  {
    type: 'HP-UNEQ',
    layer: 'high-order-path',
    role: 'root',
    severity: 'minor',
    aliases: ['HP_UNEQ'],
    meaning: 'VC-4 unequipped (no cross-connection)',
  },
  {
    type: 'HP-PLM',
    layer: 'high-order-path',
    role: 'root',
    severity: 'minor',
    aliases: ['HP_PLM'],
    meaning: 'payload mismatch',
  },
  {
    type: 'HP-RDI',
    layer: 'high-order-path',
    role: 'consequent',
    severity: 'minor',
    aliases: ['HP_RDI'],
    meaning: 'HP remote defect indication',
  },
  {
    type: 'HP-EXC',
    layer: 'high-order-path',
    role: 'root',
    severity: 'major',
    aliases: ['B3_EXC', 'HP_EXC'],
    degrade: true,
    meaning: 'B3 excessive errors',
  },
  {
    type: 'HP-DEG',
    layer: 'high-order-path',
    role: 'root',
    severity: 'minor',
    aliases: ['B3_SD', 'HP_DEG'],
    degrade: true,
    meaning: 'B3 signal degrade',
  },
  // Low-order path (TU-12 / VC-12).
  {
    type: 'TU-AIS',
    layer: 'low-order-path',
    role: 'consequent',
    severity: 'major',
    aliases: ['TU_AIS'],
    meaning: 'TU alarm indication signal',
  },
  {
    type: 'TU-LOP',
    layer: 'low-order-path',
    role: 'root',
    severity: 'major',
    aliases: ['TU_LOP'],
    meaning: 'TU loss of pointer',
  },
  {
    type: 'LP-TIM',
    layer: 'low-order-path',
    role: 'root',
    severity: 'minor',
    aliases: ['LP_TIM', 'J2_MM'],
    meaning: 'J2 trace identifier mismatch',
  },
  {
    type: 'LP-SLM',
    layer: 'low-order-path',
    role: 'root',
    severity: 'minor',
    aliases: ['LP_SLM', 'V5_SLM'],
    meaning: 'V5 signal label mismatch',
  },
  {
    type: 'LP-UNEQ',
    layer: 'low-order-path',
    role: 'root',
    severity: 'minor',
    aliases: ['LP_UNEQ'],
    meaning: 'VC-12 unequipped',
  },
  {
    type: 'LP-RDI',
    layer: 'low-order-path',
    role: 'consequent',
    severity: 'minor',
    aliases: ['LP_RDI'],
    meaning: 'LP remote defect indication',
  },
  {
    type: 'LP-EXC',
    layer: 'low-order-path',
    role: 'root',
    severity: 'major',
    aliases: ['BIP_EXC', 'LP_EXC'],
    degrade: true,
    meaning: 'V5 BIP-2 excessive errors',
  },
  {
    type: 'LP-DEG',
    layer: 'low-order-path',
    role: 'root',
    severity: 'minor',
    aliases: ['BIP_SD', 'LP_DEG'],
    degrade: true,
    meaning: 'V5 BIP-2 signal degrade',
  },
  // 2 Mbit/s tributary.
  {
    type: 'E1-LOS',
    layer: '2m-tributary',
    role: 'root',
    severity: 'major',
    aliases: ['T_ALOS', 'E1_LOS'],
    meaning: '2M loss of signal at the drop',
  },
  {
    type: 'E1-AIS',
    layer: '2m-tributary',
    role: 'consequent',
    severity: 'major',
    aliases: ['E1_AIS', 'UP_E1_AIS', 'T_AIS'],
    meaning: '2M AIS (all ones) at the drop',
  },
  {
    type: 'E1-LOF',
    layer: '2m-tributary',
    role: 'root',
    severity: 'major',
    aliases: ['E1_LOF', 'T_LOF'],
    meaning: '2M loss of frame',
  },
  // Synchronisation.
  {
    type: 'SYNC-LOSS',
    layer: 'synchronisation',
    role: 'root',
    severity: 'major',
    aliases: ['SYN_BAD', 'SYNC_C_LOS', 'LTI'],
    meaning: 'timing source lost or degraded (free-run/holdover)',
  },
  {
    type: 'SYNC-SWITCH',
    layer: 'synchronisation',
    role: 'root',
    severity: 'warning',
    aliases: ['S1_SYN_CHANGE', 'SYNC_SWITCH'],
    meaning: 'timing source switched',
  },
  // Optics.
  {
    type: 'IN-PWR-LOW',
    layer: 'optics',
    role: 'root',
    severity: 'minor',
    aliases: ['IN_PWR_LOW'],
    degrade: true,
    meaning: 'receive power low (degrading fibre)',
  },
  {
    type: 'IN-PWR-HIGH',
    layer: 'optics',
    role: 'root',
    severity: 'minor',
    aliases: ['IN_PWR_HIGH'],
    meaning: 'receive power high (overload)',
  },
  {
    type: 'LASER-SHUT',
    layer: 'optics',
    role: 'root',
    severity: 'major',
    aliases: ['LASER_SHUT', 'ALS_ACTIVE'],
    meaning: 'laser shut down (ALS or by command)',
  },
  {
    type: 'LASER-FAIL',
    layer: 'optics',
    role: 'root',
    severity: 'critical',
    aliases: ['TF', 'LSR_WILL_DIE', 'LSR_BCM_ALM'],
    meaning: 'transmitter failure / laser end of life',
  },
  // Equipment.
  {
    type: 'HW-FAIL',
    layer: 'equipment',
    role: 'root',
    severity: 'critical',
    aliases: ['HARD_BAD', 'BD_STATUS'],
    meaning: 'board hardware failure',
  },
  {
    type: 'BOARD-MISMATCH',
    layer: 'equipment',
    role: 'root',
    severity: 'major',
    aliases: ['WRG_BD_TYPE', 'BD_MISMATCH'],
    meaning: 'wrong board type in slot',
  },
  // Environment.
  {
    type: 'TEMP-HIGH',
    layer: 'environment',
    role: 'root',
    severity: 'major',
    aliases: ['TEMP_OVER', 'TEMP_ALARM'],
    meaning: 'temperature above threshold',
  },
  {
    type: 'FAN-FAIL',
    layer: 'environment',
    role: 'root',
    severity: 'major',
    aliases: ['FAN_FAIL'],
    meaning: 'fan failed',
  },
  // Site power.
  {
    type: 'POWER-FAIL',
    layer: 'site-power',
    role: 'root',
    severity: 'critical',
    aliases: ['POWER_FAIL', 'MAINS_FAIL'],
    meaning: 'mains failure at the site (on battery)',
  },
  {
    type: 'POWER-ABNORMAL',
    layer: 'site-power',
    role: 'root',
    severity: 'major',
    aliases: ['POWER_ABNORMAL', 'PWR_ABN'],
    meaning: 'NE power input out of range',
  },
  // Customer side.
  {
    type: 'DYING-GASP',
    layer: 'customer-equipment',
    role: 'root',
    severity: 'critical',
    aliases: ['DYING_GASP'],
    meaning: 'customer unit lost power',
  },
  {
    type: 'LINK-DOWN',
    layer: 'customer-router',
    role: 'root',
    severity: 'major',
    aliases: ['linkDown'],
    meaning: 'router interface down (IF-MIB)',
  },
  // Management. Consequent when a fault explains it (the node is behind it), else a root.
  {
    type: 'NE-UNREACHABLE',
    layer: 'management',
    role: 'consequent',
    severity: 'major',
    aliases: ['NE_COMMU_BREAK', 'NE_NOT_LOGIN'],
    meaning: 'NE does not answer (poller, DCN)',
  },
  // The EMS northbound keepalive stopped: the NOC is blind to that EMS's NEs; nothing about traffic.
  {
    type: 'EMS-LINK-DOWN',
    layer: 'management',
    role: 'root',
    severity: 'major',
    aliases: [],
    meaning: 'EMS northbound keepalive missing (raised on the EMS)',
  },
] as const satisfies readonly AlarmTypeInfo[];

/** Canonical alarm types, as a union shared with the API schemas. */
export type AlarmType = (typeof CATALOGUE)[number]['type'];
export const ALARM_TYPES = CATALOGUE.map((c) => c.type) as readonly AlarmType[] as readonly [AlarmType, ...AlarmType[]];

const byType = new Map<string, AlarmTypeInfo>(CATALOGUE.map((c) => [c.type, c]));
const byAlias = new Map<string, AlarmTypeInfo>();
for (const c of CATALOGUE as readonly AlarmTypeInfo[]) {
  byAlias.set(c.type.toUpperCase(), c);
  for (const a of c.aliases) byAlias.set(a.toUpperCase(), c);
}

export const UNKNOWN_PREFIX = 'UNKNOWN:';

/** Canonical type of a vendor alarm name; unknown names become `UNKNOWN:<name>`. */
export function canonicalType(vendorName: string): string {
  const hit = byAlias.get(vendorName.trim().toUpperCase());
  return hit ? hit.type : `${UNKNOWN_PREFIX}${vendorName.trim()}`;
}

export function info(type: string): AlarmTypeInfo | undefined {
  return byType.get(type);
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

export function isDegrade(type: string): boolean {
  return byType.get(type)?.degrade === true;
}

/** What explains an alarm of this type (docs/alarms.md; mirrors correlation/explain.ts). */
export function explainedByText(t: AlarmTypeInfo): string {
  if (t.type === 'NE-UNREACHABLE')
    return "the node's own failure or site power, or failures in every direction that leads out (cut off); alone: a management fault";
  if (t.role === 'root') {
    if (t.degrade)
      return 'root of its own: marks its span degraded (never cut); joins an open cut or failure on its span';
    if (t.layer === 'regenerator-section' && (t.type === 'LOS' || t.type === 'LOF'))
      return 'root: span-cut, node-failure, access-fiber-cut, cpe-failure, or the symptom of a failed line board';
    return 'root candidate; joins an open fault that explains its place, else unclassified';
  }
  if (t.layer === 'high-order-path' || t.layer === 'low-order-path') {
    return "on a ring port: the nearest failure out through that port (signal flow, any number of hops), else a failure upstream along the VC paths of the circuits on that span, across gateways (RDI: anywhere on those paths); at a drop: the circuit's active path, access and equipment";
  }
  if (t.layer === 'multiplex-section') return 'the span at that port or the node behind it';
  if (t.layer === '2m-tributary') return "the circuit's active path, access, equipment, or its own 2M fault";
  return 'an open fault at its place';
}

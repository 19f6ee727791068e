// The alarm catalogue: G.783 defects per layer, vendor aliases, and docs/alarms.md current.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ALARM_TYPES,
  canonicalType,
  defaultSeverity,
  isDegrade,
  layerOf,
  roleOf,
} from '../src/core/alarms/catalogue.js';
import { renderAlarmDocs } from '../src/core/alarms/docs.js';

describe('alarm catalogue', () => {
  it('has the G.783 defect set per layer', () => {
    const want: Record<string, string[]> = {
      'regenerator-section': ['LOS', 'LOF', 'OOF', 'RS-TIM'],
      'multiplex-section': ['MS-AIS', 'MS-RDI', 'MS-EXC', 'MS-DEG'],
      'high-order-path': ['AU-AIS', 'AU-LOP', 'HP-TIM', 'HP-SLM', 'HP-UNEQ', 'HP-RDI', 'HP-PLM', 'HP-EXC', 'HP-DEG'],
      'low-order-path': ['TU-AIS', 'TU-LOP', 'LP-TIM', 'LP-SLM', 'LP-UNEQ', 'LP-RDI', 'LP-EXC', 'LP-DEG'],
      '2m-tributary': ['E1-LOS', 'E1-AIS', 'E1-LOF'],
    };
    for (const [layer, types] of Object.entries(want)) for (const t of types) expect(layerOf(t), t).toBe(layer);
    for (const t of ['SYNC-LOSS', 'LASER-SHUT', 'TEMP-HIGH', 'FAN-FAIL', 'POWER-FAIL'])
      expect(ALARM_TYPES).toContain(t);
  });

  it('maps Huawei OptiX names, case-insensitively, and keeps unknown names', () => {
    const cases: Array<[string, string]> = [
      ['B2_EXC', 'MS-EXC'],
      ['B2_SD', 'MS-DEG'],
      ['HP_UNEQ', 'HP-UNEQ'],
      ['J0_MM', 'RS-TIM'],
      ['SYN_BAD', 'SYNC-LOSS'],
      ['LASER_SHUT', 'LASER-SHUT'],
      ['TEMP_OVER', 'TEMP-HIGH'],
      ['fan_fail', 'FAN-FAIL'],
      ['R_OOF', 'LOF'],
      ['T_ALOS', 'E1-LOS'],
      ['NE_COMMU_BREAK', 'NE-UNREACHABLE'],
      ['MS-RDI', 'MS-RDI'],
      ['DOOR_OPEN', 'UNKNOWN:DOOR_OPEN'],
    ];
    for (const [name, type] of cases) expect(canonicalType(name), name).toBe(type);
  });

  it('gives each type a role and a default severity; AIS/RDI are consequent, EXC/DEG degrade', () => {
    for (const t of ALARM_TYPES) expect(defaultSeverity(t), t).not.toBe('indeterminate');
    for (const t of ['MS-AIS', 'AU-AIS', 'TU-AIS', 'E1-AIS', 'MS-RDI', 'HP-RDI', 'LP-RDI'])
      expect(roleOf(t), t).toBe('consequent');
    for (const t of ['MS-EXC', 'MS-DEG', 'HP-DEG', 'LP-EXC', 'IN-PWR-LOW']) expect(isDegrade(t), t).toBe(true);
    expect(isDegrade('LOS')).toBe(false);
  });

  it('docs/alarms.md is current (regenerate: npm run build && node scripts/gen-alarm-docs.mjs)', () => {
    const file = readFileSync(new URL('../docs/alarms.md', import.meta.url), 'utf8');
    expect(file).toBe(renderAlarmDocs());
    for (const t of ALARM_TYPES) expect(file).toContain(`| \`${t}\` |`);
  });
});

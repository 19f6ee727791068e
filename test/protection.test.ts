// The circuit state machine, table-driven: every transition (and the illegal ones) on a small
// ring, driven by incident impacts, switch events, confirmations and timers. Pure, no IO.
import { describe, expect, it } from 'vitest';
import type { Impact, IncidentView } from '../src/core/model.js';
import { ProtectionEngine } from '../src/core/protection/engine.js';
import { TopologyGraph } from '../src/core/topology/graph.js';
import { parseTopology } from '../src/core/topology/validate.js';
import { Harness } from './helpers/harness.js';

// Ring R1 (MS-SPRing): N1-N2-N3-N4. Ring R2 (SNCP): N4-N5-N6 (closing on N4 via a 2nd leg).
const doc = {
  network: 't',
  sites: [{ id: 'S3', batteryMinutes: 30 }],
  nodes: [{ id: 'N1' }, { id: 'N2' }, { id: 'N3', site: 'S3' }, { id: 'N4' }, { id: 'N5' }, { id: 'N6' }],
  spans: [
    { id: 'S12', a: { node: 'N1', port: 'e' }, z: { node: 'N2', port: 'w' } },
    { id: 'S23', a: { node: 'N2', port: 'e' }, z: { node: 'N3', port: 'w' } },
    { id: 'S34', a: { node: 'N3', port: 'e' }, z: { node: 'N4', port: 'w' } },
    { id: 'S41', a: { node: 'N4', port: 'e' }, z: { node: 'N1', port: 'w' } },
    { id: 'S45', a: { node: 'N4', port: 'e2' }, z: { node: 'N5', port: 'w' } },
    { id: 'S56', a: { node: 'N5', port: 'e' }, z: { node: 'N6', port: 'w' } },
    { id: 'S64', a: { node: 'N6', port: 'e' }, z: { node: 'N4', port: 'w2' } },
  ],
  rings: [
    { id: 'R1', protection: 'ms-spring', spans: ['S12', 'S23', 'S34', 'S41'] },
    { id: 'R2', protection: 'sncp', spans: ['S45', 'S56', 'S64'] },
  ],
  equipment: [{ id: 'CPE', kind: 'cpe-pdh' }],
  accessLinks: [{ id: 'ACC', node: 'N3', port: 'a1', cpe: 'CPE' }],
  circuits: [
    // MS: N1 -> N3 via N2, protect via N4 (revertive by default)
    {
      id: 'MS',
      customer: 'C1',
      priority: 'vip',
      a: { node: 'N1', port: 't', channel: 1 },
      z: { node: 'N3', port: 't', channel: 1 },
      working: ['S12', 'S23'],
      protect: ['S41', 'S34'],
      protection: 'ms-spring',
      access: ['ACC'],
    },
    // MSNR: same path, non-revertive
    {
      id: 'MSNR',
      customer: 'C2',
      priority: 'high',
      a: { node: 'N1', port: 't', channel: 2 },
      z: { node: 'N3', port: 't', channel: 2 },
      working: ['S12', 'S23'],
      protect: ['S41', 'S34'],
      protection: 'ms-spring',
      revertive: false,
    },
    // SN: N4 -> N6 via N5, protect direct (non-revertive by default)
    {
      id: 'SN',
      customer: 'C3',
      priority: 'normal',
      a: { node: 'N4', port: 't', channel: 1 },
      z: { node: 'N6', port: 't', channel: 1 },
      working: ['S45', 'S56'],
      protect: ['S64'],
      protection: 'sncp',
    },
    // SNR: same, revertive
    {
      id: 'SNR',
      customer: 'C4',
      priority: 'normal',
      a: { node: 'N4', port: 't', channel: 2 },
      z: { node: 'N6', port: 't', channel: 2 },
      working: ['S45', 'S56'],
      protect: ['S64'],
      protection: 'sncp',
      revertive: true,
    },
    // NONE: unprotected N1 -> N2
    {
      id: 'NONE',
      customer: 'C5',
      priority: 'normal',
      a: { node: 'N1', port: 't', channel: 3 },
      z: { node: 'N2', port: 't', channel: 1 },
      working: ['S12'],
      protection: 'none',
    },
  ],
};
const parsed = parseTopology(doc);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const graph = new TopologyGraph(parsed.topology);

const EMPTY: Impact = { spans: [], nodes: [], access: [], equipment: [], circuits: [], touches: [], power: [] };
const inc = (id: string, impact: Partial<Impact>, state: 'open' | 'cleared' = 'open'): IncidentView => ({
  id,
  kind: 'span-cut',
  state,
  openedAt: '',
  clearedAt: null,
  spans: [],
  nodes: [],
  sites: [],
  accessLinks: [],
  equipment: [],
  rootAlarmIds: [],
  alarmCount: 1,
  affectedCircuits: [],
  impacts: [],
  ticketId: null,
  detail: {},
  impact: { ...EMPTY, ...impact },
});

type Step =
  | ['fail', string, Partial<Impact>]
  | ['heal', string]
  | ['switch', string, string, 'toProtection' | 'toWorking' | 'failed']
  | ['confirm', string, ('working' | 'protection')?]
  | ['signal', string, string, 'active' | 'cleared']
  | ['wait', number];

function run(steps: Step[]) {
  const p = new ProtectionEngine(graph, { switchTimeoutMs: 10_000, wtrMs: 300_000 });
  let now = 0;
  p.init(now);
  const results: Array<{ ok: boolean; code?: string; message?: string }> = [];
  for (const s of steps) {
    if (s[0] === 'fail') p.applyIncident(inc(s[1], s[2]), now);
    if (s[0] === 'heal') p.applyIncident(inc(s[1], {}, 'cleared'), now);
    if (s[0] === 'switch')
      p.switchEvent({ kind: 'switch', node: s[1], object: s[2], state: s[3], eventTime: now }, now);
    if (s[0] === 'confirm') {
      const r = p.confirm(s[1], 'eng', null, now, s[2]);
      results.push(r.ok ? { ok: true } : { ok: false, code: r.code, message: r.message });
    }
    if (s[0] === 'signal')
      p.applyAlarms([{ id: `${s[1]}/${s[2]}`, node: s[1], object: s[2], type: 'LOS', state: s[3] }], now);
    if (s[0] === 'wait') {
      now += s[1];
      p.tick(now);
    }
  }
  return { p, results, c: (id: string) => p.circuit(id)! };
}

const cut12: Step = ['fail', 'I1', { spans: ['S12'] }];
const cut56: Step = ['fail', 'I2', { spans: ['S56'] }];

describe('protection state machine', () => {
  const table: Array<[string, Step[], string, Record<string, unknown>]> = [
    ['ok while nothing failed', [], 'MS', { state: 'ok', activePath: 'working', protectionAvailable: true }],
    [
      'working hit, protection intact -> switch-required',
      [cut12],
      'MS',
      { state: 'switch-required', activePath: 'working' },
    ],
    ['unprotected and hit -> down', [cut12], 'NONE', { state: 'down', protectionAvailable: false }],
    [
      'protection path hit -> ok without a safety net',
      [['fail', 'I', { spans: ['S34'] }]],
      'MS',
      { state: 'ok', protectionAvailable: false },
    ],
    ['both paths hit -> down', [cut12, ['fail', 'I3', { spans: ['S41'] }]], 'MS', { state: 'down' }],
    [
      'ring switch on a ring port -> on-protection',
      [cut12, ['switch', 'N1', 'e', 'toProtection']],
      'MS',
      { state: 'on-protection', activePath: 'protection', protectionAvailable: false },
    ],
    [
      'switch seen before the fault is decided -> on-protection at once',
      [['switch', 'N2', 'w', 'toProtection'], cut12],
      'MSNR',
      { state: 'on-protection' },
    ],
    ['no switch within the timeout -> switch-failed', [cut12, ['wait', 10_001]], 'MS', { state: 'switch-failed' }],
    [
      'forced ring switch with no failure -> on-protection',
      [['switch', 'N1', 'e', 'toProtection']],
      'MS',
      { state: 'on-protection', activePath: 'protection', protectionAvailable: true, workingRestored: false },
    ],
    [
      '... and toWorking brings it back',
      [
        ['switch', 'N1', 'e', 'toProtection'],
        ['switch', 'N2', 'w', 'toWorking'],
      ],
      'MS',
      { state: 'ok', activePath: 'working' },
    ],
    [
      'a ring switch elsewhere on the ring moves nothing',
      [['switch', 'N3', 'e', 'toProtection']],
      'MS',
      { state: 'ok', activePath: 'working' },
    ],
    [
      'failed switch event before the fault is decided -> switch-failed',
      [['switch', 'N1', 'e', 'failed'], cut12],
      'MS',
      { state: 'switch-failed' },
    ],
    [
      'a stale failed switch event does not taint a later fault',
      [['switch', 'N1', 'e', 'failed'], ['wait', 10_001], cut12],
      'MS',
      { state: 'switch-required' },
    ],
    ['still switch-required just before the timeout', [cut12, ['wait', 9_999]], 'MS', { state: 'switch-required' }],
    [
      'failed switch event -> switch-failed',
      [cut12, ['switch', 'N1', 'e', 'failed']],
      'MS',
      { state: 'switch-failed' },
    ],
    [
      'confirm from switch-required -> on-protection',
      [cut12, ['confirm', 'MS']],
      'MS',
      { state: 'on-protection', confirmedBy: 'eng' },
    ],
    [
      'confirm from switch-failed -> on-protection',
      [cut12, ['wait', 10_001], ['confirm', 'MS']],
      'MS',
      { state: 'on-protection' },
    ],
    ['repair before any switch -> ok', [cut12, ['heal', 'I1']], 'MS', { state: 'ok', activePath: 'working' }],
    [
      'revertive repair -> wtr',
      [cut12, ['switch', 'N1', 'e', 'toProtection'], ['heal', 'I1']],
      'MS',
      { state: 'wtr', activePath: 'protection', protectionAvailable: true },
    ],
    [
      'wtr expiry -> ok on working',
      [cut12, ['switch', 'N1', 'e', 'toProtection'], ['heal', 'I1'], ['wait', 300_001]],
      'MS',
      { state: 'ok', activePath: 'working', confirmedBy: null },
    ],
    [
      'toWorking ends wtr at once',
      [cut12, ['switch', 'N1', 'e', 'toProtection'], ['heal', 'I1'], ['switch', 'N1', 'e', 'toWorking']],
      'MS',
      { state: 'ok', activePath: 'working' },
    ],
    [
      'non-revertive repair stays on protection, workingRestored',
      [cut12, ['switch', 'N1', 'e', 'toProtection'], ['heal', 'I1'], ['wait', 400_000]],
      'MSNR',
      { state: 'on-protection', workingRestored: true },
    ],
    [
      'SNCP drop switch moves only that circuit',
      [cut56, ['switch', 'N6', 't:1', 'toProtection']],
      'SN',
      { state: 'on-protection', activePath: 'protection' },
    ],
    [
      '... and not its neighbour on the same span',
      [cut56, ['switch', 'N6', 't:1', 'toProtection']],
      'SNR',
      { state: 'switch-required' },
    ],
    [
      'a ring-port switch does not move SNCP circuits',
      [cut56, ['switch', 'N5', 'e', 'toProtection']],
      'SN',
      { state: 'switch-required' },
    ],
    [
      'SNCP non-revertive by default',
      [cut56, ['switch', 'N6', 't:1', 'toProtection'], ['heal', 'I2']],
      'SN',
      { state: 'on-protection', workingRestored: true },
    ],
    [
      'SNCP revertive when configured',
      [cut56, ['switch', 'N6', 't:2', 'toProtection'], ['heal', 'I2']],
      'SNR',
      { state: 'wtr' },
    ],
    [
      'second failure on the protection path while on protection -> down',
      [cut12, ['switch', 'N1', 'e', 'toProtection'], ['fail', 'I9', { spans: ['S34'] }]],
      'MS',
      { state: 'down' },
    ],
    ['endpoint node failure -> down', [['fail', 'I', { nodes: ['N3'] }]], 'MS', { state: 'down' }],
    ['transit node failure -> switch-required', [['fail', 'I', { nodes: ['N2'] }]], 'MS', { state: 'switch-required' }],
    [
      'ring switch next to a failed node -> on-protection',
      [
        ['fail', 'I', { nodes: ['N2'] }],
        ['switch', 'N1', 'e', 'toProtection'],
      ],
      'MS',
      { state: 'on-protection' },
    ],
    ['access link failed -> down', [['fail', 'I', { access: ['ACC'] }]], 'MS', { state: 'down' }],
    ['CPE failed -> down', [['fail', 'I', { equipment: ['CPE'] }]], 'MS', { state: 'down' }],
    ['2M/customer fault -> down', [['fail', 'I', { circuits: ['SN'] }]], 'SN', { state: 'down' }],
    [
      'power failure on the active path -> at-risk until the battery ends',
      [['fail', 'P', { power: [{ site: 'S3', since: 0, until: 1_800_000 }] }]],
      'MS',
      { state: 'at-risk', atRiskUntil: '1970-01-01T00:30:00.000Z' },
    ],
    [
      'power then the node dies -> down',
      [
        ['fail', 'P', { power: [{ site: 'S3', since: 0, until: 1_800_000 }] }],
        ['fail', 'P', { power: [{ site: 'S3', since: 0, until: 1_800_000 }], nodes: ['N3'] }],
      ],
      'MS',
      { state: 'down' },
    ],
    [
      'power cleared -> ok',
      [
        ['fail', 'P', { power: [{ site: 'S3', since: 0, until: 1 }] }],
        ['heal', 'P'],
      ],
      'MS',
      { state: 'ok', atRiskUntil: null },
    ],
  ];
  it.each(table)('%s', (_name, steps, circuit, want) => {
    expect(run(steps).c(circuit)).toMatchObject(want);
  });

  it('refuses a confirmation from any other state (409), and for an unknown circuit (404)', () => {
    expect(run([['confirm', 'MS']]).results).toMatchObject([{ ok: false, code: 'CONFLICT' }]);
    expect(run([cut12, ['switch', 'N1', 'e', 'toProtection'], ['confirm', 'MS']]).results).toMatchObject([
      { ok: false, code: 'CONFLICT' },
    ]);
    expect(
      run([cut12, ['switch', 'N1', 'e', 'toProtection'], ['heal', 'I1'], ['confirm', 'MS']]).results,
    ).toMatchObject([{ ok: false, code: 'CONFLICT' }]);
    expect(
      run([
        ['fail', 'I', { nodes: ['N3'] }],
        ['confirm', 'MS'],
      ]).results,
    ).toMatchObject([{ ok: false, code: 'CONFLICT' }]);
    expect(run([['confirm', 'NOPE']]).results).toMatchObject([{ ok: false, code: 'NOT_FOUND' }]);
  });

  it('lists the incidents that touch each circuit and the circuits of each incident', () => {
    const { p, c } = run([cut12, ['fail', 'I3', { spans: ['S34'] }]]);
    expect(c('MS').incidentIds).toEqual(['I1', 'I3']);
    expect(p.affectedBy('I1')).toEqual(['MS', 'MSNR', 'NONE']);
  });

  it('restores records and resumes a WTR timer after a restart', () => {
    const { p } = run([cut12, ['switch', 'N1', 'e', 'toProtection'], ['heal', 'I1'], ['wait', 100_000]]);
    const saved = [...graph.circuits.keys()].map((id) => p.circuit(id)!);
    expect(saved.find((x) => x.id === 'MS')).toMatchObject({ state: 'wtr', timerDue: '1970-01-01T00:05:00.000Z' });
    const q = new ProtectionEngine(graph, { switchTimeoutMs: 10_000, wtrMs: 300_000 });
    expect(q.init(150_000, saved)).toEqual([]);
    expect(q.nextDue()).toBe(300_000);
    q.tick(299_999);
    expect(q.circuit('MS')!.state).toBe('wtr');
    q.tick(300_000);
    expect(q.circuit('MS')).toMatchObject({ state: 'ok', activePath: 'working' });
  });
});

const onProt: Step[] = [cut12, ['switch', 'N1', 'e', 'toProtection']];
const inWtrSteps: Step[] = [...onProt, ['heal', 'I1']];
const cut34: Step = ['fail', 'I5', { spans: ['S34'] }];
const snOnProt: Step[] = [cut56, ['switch', 'N6', 't:1', 'toProtection'], ['heal', 'I2']];

describe('both directions (G.841: signal fail beats wait-to-restore)', () => {
  const table: Array<[string, Step[], string, Record<string, unknown>]> = [
    [
      'protection path cut while in WTR -> switch-required towards working (WTR pre-empted)',
      [...inWtrSteps, cut34],
      'MS',
      {
        state: 'switch-required',
        activePath: 'protection',
        switchTo: 'working',
        timerDue: '1970-01-01T00:00:10.000Z',
        protectionAvailable: true,
      },
    ],
    [
      '... no switch event within the timeout -> switch-failed',
      [...inWtrSteps, cut34, ['wait', 10_000]],
      'MS',
      { state: 'switch-failed', switchTo: 'working', timerDue: null },
    ],
    [
      '... the ring switches back -> ok on working without protection',
      [...inWtrSteps, cut34, ['wait', 10_000], ['switch', 'N1', 'e', 'toWorking']],
      'MS',
      { state: 'ok', activePath: 'working', protectionAvailable: false, switchTo: null },
    ],
    [
      "... toWorking from the cut protection span's ports counts too",
      [...inWtrSteps, cut34, ['switch', 'N3', 'e', 'toWorking']],
      'MS',
      { state: 'ok', activePath: 'working' },
    ],
    [
      '... a failed switch event -> switch-failed at once',
      [...inWtrSteps, cut34, ['switch', 'N3', 'e', 'failed']],
      'MS',
      { state: 'switch-failed' },
    ],
    [
      'non-revertive on protection, protection path cut -> switch-required towards working',
      [...inWtrSteps, cut34],
      'MSNR',
      { state: 'switch-required', switchTo: 'working', workingRestored: false },
    ],
    [
      'on protection with working still cut, protection cut -> down',
      [...onProt, cut34],
      'MS',
      { state: 'down', timerDue: null },
    ],
    [
      'down, then the protection path repaired -> on-protection again',
      [...onProt, cut34, ['heal', 'I5']],
      'MS',
      { state: 'on-protection', activePath: 'protection' },
    ],
    [
      'down, then the working path repaired -> switch-required towards working',
      [...onProt, cut34, ['heal', 'I1']],
      'MS',
      { state: 'switch-required', switchTo: 'working' },
    ],
    [
      'working recut during WTR -> on-protection, WTR cancelled',
      [...inWtrSteps, ['wait', 100_000], ['fail', 'I7', { spans: ['S23'] }]],
      'MS',
      { state: 'on-protection', timerDue: null },
    ],
    [
      '... repaired again -> a full WTR from then',
      [...inWtrSteps, ['wait', 100_000], ['fail', 'I7', { spans: ['S23'] }], ['wait', 50_000], ['heal', 'I7']],
      'MS',
      { state: 'wtr', timerDue: '1970-01-01T00:07:30.000Z' },
    ],
    [
      '... and the first WTR deadline passes without effect',
      [
        ...inWtrSteps,
        ['wait', 100_000],
        ['fail', 'I7', { spans: ['S23'] }],
        ['wait', 50_000],
        ['heal', 'I7'],
        ['wait', 200_000],
      ],
      'MS',
      { state: 'wtr' },
    ],
    [
      'SNCP on protection, protection path cut -> switch-required towards working',
      [...snOnProt, ['fail', 'I8', { spans: ['S64'] }]],
      'SN',
      { state: 'switch-required', switchTo: 'working' },
    ],
    [
      '... its drop switches back -> ok',
      [...snOnProt, ['fail', 'I8', { spans: ['S64'] }], ['switch', 'N6', 't:1', 'toWorking']],
      'SN',
      { state: 'ok', activePath: 'working', protectionAvailable: false },
    ],
    [
      'SNCP both paths cut in turn -> down',
      [cut56, ['switch', 'N6', 't:1', 'toProtection'], ['fail', 'I8', { spans: ['S64'] }]],
      'SN',
      { state: 'down' },
    ],
    [
      'a switch-failed fault repaired leaves no failed switch behind',
      [cut12, ['switch', 'N1', 'e', 'failed'], ['heal', 'I1'], ['wait', 1000], cut12],
      'MS',
      { state: 'switch-required' },
    ],
  ];
  it.each(table)('%s', (_name, steps, circuit, want) => {
    expect(run(steps).c(circuit)).toMatchObject(want);
  });
});

describe('short hits: protection follows the switch and the signal, not only decided incidents', () => {
  const table: Array<[string, Step[], string, Record<string, unknown>]> = [
    [
      'LOS, ring switch, LOS clears in hold-down -> wtr',
      [
        ['signal', 'N1', 'e', 'active'],
        ['switch', 'N1', 'e', 'toProtection'],
        ['signal', 'N1', 'e', 'cleared'],
      ],
      'MS',
      { state: 'wtr', activePath: 'protection', workingRestored: true, timerDue: '1970-01-01T00:05:00.000Z' },
    ],
    [
      '... then ok on working after the WTR',
      [
        ['signal', 'N1', 'e', 'active'],
        ['switch', 'N1', 'e', 'toProtection'],
        ['signal', 'N1', 'e', 'cleared'],
        ['wait', 300_000],
      ],
      'MS',
      { state: 'ok', activePath: 'working' },
    ],
    [
      'switch first, LOS after: the same',
      [
        ['switch', 'N1', 'e', 'toProtection'],
        ['signal', 'N2', 'w', 'active'],
        ['signal', 'N2', 'w', 'cleared'],
      ],
      'MS',
      { state: 'wtr' },
    ],
    [
      'on protection while the LOS is still up (not decided) -> on-protection',
      [
        ['signal', 'N1', 'e', 'active'],
        ['switch', 'N1', 'e', 'toProtection'],
      ],
      'MS',
      { state: 'on-protection', workingRestored: false },
    ],
    [
      'non-revertive: on protection, working restored',
      [
        ['signal', 'N1', 'e', 'active'],
        ['switch', 'N1', 'e', 'toProtection'],
        ['signal', 'N1', 'e', 'cleared'],
      ],
      'MSNR',
      { state: 'on-protection', workingRestored: true },
    ],
    [
      'an undecided LOS alone does not ask for a switch',
      [['signal', 'N1', 'e', 'active']],
      'MS',
      { state: 'ok', activePath: 'working' },
    ],
    [
      'a forced switch (no signal, no fault) stays on protection',
      [
        ['switch', 'N1', 'e', 'toProtection'],
        ['wait', 400_000],
      ],
      'MS',
      { state: 'on-protection', workingRestored: false },
    ],
  ];
  it.each(table)('%s', (_name, steps, circuit, want) => {
    expect(run(steps).c(circuit)).toMatchObject(want);
  });
});

describe('switchover confirmation to either path', () => {
  const table: Array<[string, Step[], string, Record<string, unknown>]> = [
    [
      'switch-required towards protection, default target',
      [cut12, ['confirm', 'MS']],
      'MS',
      { state: 'on-protection', activePath: 'protection', confirmedBy: 'eng' },
    ],
    [
      'switch-failed towards working, to: working',
      [...inWtrSteps, cut34, ['wait', 10_000], ['confirm', 'MS', 'working']],
      'MS',
      { state: 'ok', activePath: 'working', confirmedBy: 'eng', protectionAvailable: false },
    ],
    [
      'switch-required towards working, default target',
      [...inWtrSteps, cut34, ['confirm', 'MS']],
      'MS',
      { state: 'ok', activePath: 'working', timerDue: null },
    ],
    [
      'manual revert of a non-revertive circuit',
      [...inWtrSteps, ['confirm', 'MSNR']],
      'MSNR',
      { state: 'ok', activePath: 'working', workingRestored: false, confirmedBy: 'eng' },
    ],
    [
      'manual revert of SNCP, to: working',
      [...snOnProt, ['confirm', 'SN', 'working']],
      'SN',
      { state: 'ok', activePath: 'working' },
    ],
    [
      'a confirmed circuit that fails again forgets who confirmed',
      [...inWtrSteps, ['confirm', 'MSNR'], ['fail', 'I9', { spans: ['S23'] }]],
      'MSNR',
      { state: 'switch-required', confirmedBy: null },
    ],
  ];
  it.each(table)('%s', (_name, steps, circuit, want) => {
    const r = run(steps);
    expect(r.results.every((x) => x.ok)).toBe(true);
    expect(r.c(circuit)).toMatchObject(want);
  });

  const refused: Array<[string, Step[], RegExp]> = [
    [
      'to a failed protection path, naming the span',
      [['fail', 'I5', { spans: ['S34'] }], cut12, ['confirm', 'MS']],
      /protection path: span S34 .*failed/,
    ],
    [
      'to a failed working path, naming the span',
      [cut12, ['confirm', 'MS', 'working']],
      /working path: span S12 .*failed/,
    ],
    [
      'to a path through a failed node, naming the node',
      [
        ['fail', 'I', { nodes: ['N2'] }],
        ['switch', 'N1', 'e', 'toProtection'],
        ['confirm', 'MS'],
      ],
      /working path: node N2 .*failed/,
    ],
    ['revert while the working path is still cut', [...onProt, ['confirm', 'MSNR']], /working path: span S12/],
    ['revert of a circuit in WTR (the network reverts it)', [...inWtrSteps, ['confirm', 'MS']], /is wtr/],
    [
      'revert of a forced switch with the working path never failed',
      [
        ['switch', 'N1', 'e', 'toProtection'],
        ['confirm', 'MS'],
      ],
      /is on-protection/,
    ],
    ['a switchover of a circuit that is ok', [['confirm', 'MS']], /is ok on its working path/],
    [
      'to the path it is already on',
      [cut12, ['confirm', 'MS', 'protection'], ['confirm', 'MS', 'protection']],
      /is on-protection/,
    ],
    ['an unprotected circuit', [['confirm', 'NONE']], /has no protection path/],
  ];
  it.each(refused)('409 %s', (_name, steps, message) => {
    const r = run(steps).results;
    expect(r[r.length - 1]).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(r[r.length - 1].message).toMatch(message);
  });
});

describe('impacts: what each incident does to each circuit it touches', () => {
  const impacts = (steps: Step[], incident: string) =>
    Object.fromEntries(
      run(steps)
        .p.impactsOf(incident)
        .map((i) => [i.circuit, i.impact]),
    );
  it.each([
    ['working cut, no switch yet', [cut12], 'I1', { MS: 'switch-required', MSNR: 'switch-required', NONE: 'down' }],
    [
      '... after the switch timeout',
      [cut12, ['wait', 10_000]],
      'I1',
      { MS: 'switch-failed', MSNR: 'switch-failed', NONE: 'down' },
    ],
    [
      '... switched by the ring',
      [cut12, ['switch', 'N1', 'e', 'toProtection']],
      'I1',
      { MS: 'switched', MSNR: 'switched', NONE: 'down' },
    ],
    ['protection path cut', [cut34], 'I5', { MS: 'protection-lost', MSNR: 'protection-lost' }],
    [
      'protection path cut while on protection: that cut needs the switch back',
      [...inWtrSteps, cut34],
      'I5',
      { MS: 'switch-required', MSNR: 'switch-required' },
    ],
    ['both paths cut: each cut shares the down', [cut12, cut34], 'I5', { MS: 'down', MSNR: 'down' }],
    ['an access cut is down for its own incident', [cut34, ['fail', 'A', { access: ['ACC'] }]], 'A', { MS: 'down' }],
    [
      '... and the span cut only removed the protection',
      [cut34, ['fail', 'A', { access: ['ACC'] }]],
      'I5',
      { MS: 'protection-lost', MSNR: 'protection-lost' },
    ],
    [
      'site on battery',
      [['fail', 'P', { power: [{ site: 'S3', since: 0, until: null }] }]],
      'P',
      { MS: 'at-risk', MSNR: 'at-risk' },
    ],
  ] as Array<[string, Step[], string, Record<string, string>]>)('%s', (_n, steps, incident, want) => {
    expect(impacts(steps, incident)).toEqual(want);
  });
});

describe('timers after a restore', () => {
  const saved = (p: ProtectionEngine) => [...graph.circuits.keys()].map((id) => p.circuit(id)!);
  const inWtr = (id: string, due: number) => ({
    ...run([]).c(id),
    state: 'wtr' as const,
    activePath: 'protection' as const,
    timerDue: new Date(due).toISOString(),
  });

  it('two circuits restored with out-of-order deadlines fire in deadline order', () => {
    // Listed (as the store returns them) with the later deadline first.
    const restored = [inWtr('MS', 300_000), inWtr('SNR', 200_000)];
    const h = new Harness(
      graph,
      { wtrMs: 300_000 },
      { alarms: [], incidents: [], circuits: restored, tickets: [] },
      150_000,
    );
    const fired: Array<[string, number, string]> = [];
    h.pipeline.output$.subscribe((o) => {
      for (const c of o.circuits) fired.push([c.id, o.at, c.state]);
    });
    h.at(400_000);
    expect(fired).toEqual([
      ['SNR', 200_000, 'ok'],
      ['MS', 300_000, 'ok'],
    ]);
  });

  it('a timer that fires publishes the change and no expired deadline', () => {
    const { p } = run([cut12, ['switch', 'N1', 'e', 'toProtection'], ['heal', 'I1']]);
    const r = p.tick(300_000);
    expect(r.circuits.map((c) => [c.id, c.state, c.timerDue])).toEqual([['MS', 'ok', null]]);
    const q = new ProtectionEngine(graph, { switchTimeoutMs: 10_000, wtrMs: 300_000 });
    q.init(0, saved(p));
    expect(q.nextDue()).toBeUndefined();
  });

  it('a switch that changes only the path of an at-risk circuit is published', () => {
    const { p } = run([['fail', 'P', { power: [{ site: 'S3', since: 0, until: 1_800_000 }] }]]);
    const r = p.switchEvent({ kind: 'switch', node: 'N1', object: 'e', state: 'toProtection', eventTime: 0 }, 0);
    expect(r.circuits.find((c) => c.id === 'MS')).toMatchObject({ state: 'at-risk', activePath: 'protection' });
  });
});

// The NOC page's words and order, without a browser: every string in both languages from one
// table, nothing English left on the Chinese page, incidents ranked by priority then age.
// (The page in Chromium: test/web-browser.test.ts.)
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Incident as IncidentShape, Ticket as TicketShape } from '../src/adapters/api/shapes.js';
import { CIRCUIT_STATES } from '../src/core/model.js';
import type { Ctx } from '../src/web/html.js';
import { LANGS, TEXT, known, relative, text } from '../src/web/i18n.js';
import { byPriority, headline } from '../src/web/rank.js';
import type { Circuit, Incident, Ticket } from '../src/web/types.js';
import { circuitRows } from '../src/web/view-circuits.js';
import { detailBody } from '../src/web/view-detail.js';
import { incidentList } from '../src/web/view-incidents.js';
import { drawMap } from '../src/web/view-map.js';
import { liveTopology } from '../src/adapters/api/topology-view.js';
import { liveStatus } from '../src/shared/live-status.js';
import { Harness } from './helpers/harness.js';

const WEB = new URL('../src/web/', import.meta.url);
const sources = readdirSync(WEB)
  .filter((f) => /\.(ts|html)$/.test(f))
  .map((f) => ({ f, s: readFileSync(new URL(f, WEB), 'utf8') }));

describe('NOC page text table', () => {
  it('has every entry in zh-CN and en, with the same placeholders', () => {
    for (const [key, entry] of Object.entries(TEXT)) {
      for (const lang of LANGS) expect(entry[lang]?.trim(), `${key} in ${lang}`).toBeTruthy();
      const holes = (s: string) => [...new Set(s.match(/\{\w+\}/g) ?? [])].sort();
      expect(holes(entry.en), key).toEqual(holes(entry['zh-CN']));
    }
  });

  it('has every key the page uses', () => {
    const used = new Set<string>();
    const patterns = [
      /\btr\(\w+, '([\w-]+)'/g,
      /\bt\('([\w-]+)'/g,
      /\btext\([\w.]+, '([\w-]+)'/g,
      /data-i18n(?:-placeholder)?="([\w-]+)"/g,
      /\bdue\([^,]+, '([\w-]+)'/g,
      /\['([\w-]+)', 'var\(/g,
    ];
    for (const { s } of sources) for (const re of patterns) for (const m of s.matchAll(re)) used.add(m[1]);
    expect(used.size).toBeGreaterThan(40);
    const missing = [...used].filter((k) => !known(k));
    expect(missing).toEqual([]);
  });

  it('names every word the API sends: kinds, circuit states, impacts, ticket states, groups', () => {
    const kinds = (IncidentShape.shape.kind as unknown as { options: string[] }).options;
    const ticketStates = (TicketShape.shape.state as unknown as { options: string[] }).options;
    const groups = ['duty', 'implementation', 'leadership'];
    const impacts = ['down', 'switch-failed', 'switch-required', 'switched', 'protection-lost', 'at-risk'];
    const want = [
      ...kinds,
      ...CIRCUIT_STATES.map((s) => `st-${s}`),
      ...impacts.map((s) => `im-${s}`),
      ...ticketStates.map((s) => `tk-${s}`),
      ...groups.map((g) => `esc-${g}`),
    ];
    expect(want.filter((k) => !known(k))).toEqual([]);
  });

  it('writes relative times and counts in the page language', () => {
    expect(relative('zh-CN', -3000)).toBe('3秒钟前');
    expect(relative('zh-CN', -5 * 60_000)).toBe('5分钟前');
    expect(relative('en', -1000)).toBe('1 second ago');
    expect(relative('en', 4 * 60_000)).toBe('in 4 minutes');
    expect(text('en', 'alarmsN', { n: 1 })).toBe('1 alarm');
    expect(text('en', 'alarmsN', { n: 3 })).toBe('3 alarms');
    expect(text('zh-CN', 'alarmsN', { n: 1 })).toBe('1 条告警');
  });
});

const at = (s: number) => new Date(Date.UTC(2026, 10, 29, 8, 0, s)).toISOString();
const inc = (id: string, ticketId: string | null, openedS: number, extra: Partial<Incident> = {}): Incident => ({
  id,
  kind: 'span-cut',
  state: 'open',
  openedAt: at(openedS),
  clearedAt: null,
  spans: ['S-A1-A2'],
  nodes: ['XT-A1', 'XT-A2'],
  sites: [],
  accessLinks: [],
  equipment: [],
  alarmCount: 1,
  affectedCircuits: ['CKT-0001'],
  ticketId,
  detail: { fibres: 'both' },
  ...extra,
});
const tk = (id: string, incidentId: string, priority: Ticket['priority'], extra: Partial<Ticket> = {}): Ticket => ({
  id,
  incidentId,
  kind: 'span-cut',
  title: '光缆中断',
  priority,
  state: 'open',
  affectedCircuits: ['CKT-0001'],
  customers: ['Xiangtan Steel'],
  runbook: [{ step: 1, text: '确认保护倒换' }],
  escalation: { level: 2, group: 'implementation', reason: 'P1: a VIP circuit is down or failed to switch' },
  createdAt: at(0),
  updatedAt: at(0),
  ackBy: null,
  closedBy: null,
  ...extra,
});

describe('NOC page order', () => {
  it('ranks by priority then age; planned works after every real incident; no ticket after P4', () => {
    const tickets = new Map([
      ['TKT-1', tk('TKT-1', 'INC-1', 'P4')],
      ['TKT-2', tk('TKT-2', 'INC-2', 'P1')],
      ['TKT-3', tk('TKT-3', 'INC-3', 'P1', { planned: true })],
      ['TKT-4', tk('TKT-4', 'INC-4', 'P1')],
      ['TKT-5', tk('TKT-5', 'INC-5', 'P2')],
    ]);
    const list = [
      inc('INC-1', 'TKT-1', 1),
      inc('INC-2', 'TKT-2', 50),
      inc('INC-3', 'TKT-3', 2, { maintenance: 'MW-1' }),
      inc('INC-4', 'TKT-4', 30),
      inc('INC-5', 'TKT-5', 5),
      inc('INC-6', null, 0),
      inc('INC-7', 'TKT-1', 0, { state: 'cleared' }),
    ];
    const get = (id: string | null) => (id ? tickets.get(id) : undefined);
    const sorted = byPriority(list, get);
    expect(sorted.map((i) => i.id)).toEqual(['INC-4', 'INC-2', 'INC-5', 'INC-1', 'INC-6', 'INC-3']);
    expect(headline(sorted, get)).toEqual({ p1: 2, open: 5 });
  });
});

describe('NOC page in zh-CN', () => {
  const ctx: Ctx = { lang: 'zh-CN', perms: new Set(['read', 'ack', 'close', 'switchover']) };
  const circuit: Circuit = {
    id: 'CKT-0001',
    customer: 'Xiangtan Steel',
    priority: 'vip',
    protection: 'ms-spring',
    state: 'switch-failed',
    activePath: 'working',
    protectionAvailable: false,
    incidentIds: ['INC-1'],
    confirmedBy: null,
    workingRestored: false,
    atRiskUntil: at(600),
    timerDue: null,
  };

  /** The visible words, with the data the API sent (ids, names, its own text) taken out. */
  function words(html: string, data: string[]): string {
    let s = html
      .replace(/<title>[\s\S]*?<\/title>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#\d+;/g, ' ');
    for (const d of data) s = s.split(d).join(' ');
    return s.replace(/\b(P[1-4]|VIP|[A-Z]+-[\w-]+)\b/g, ' ');
  }

  it('leaves no English word in the incident list, the detail or the circuits', () => {
    const i = inc('INC-1', 'TKT-1', 0, {
      alarmCount: 1,
      impacts: [{ circuit: 'CKT-0001', customer: 'Xiangtan Steel', priority: 'vip', impact: 'switch-failed' }],
    });
    const t = tk('TKT-1', 'INC-1', 'P1', {
      journal: [
        { at: at(0), by: 'ringguard', action: 'created' },
        { at: at(1), by: 'noc-wang', action: 'acknowledged' },
        { at: at(2), by: 'noc-wang', action: 'note', text: '已派代维' },
      ],
      contacts: [{ name: '李工', phone: '13800000000' }],
    });
    const alarms = [
      {
        id: 'ALM-1',
        node: 'XT-A1',
        object: '1-1',
        type: 'LOS',
        vendorName: 'R_LOS',
        state: 'active',
        severity: 'critical',
        suppressed: false,
        incidentId: 'INC-1',
        raisedAt: at(0),
        ackBy: null,
      },
      {
        id: 'ALM-2',
        node: 'XT-A3',
        object: '4-1:1',
        type: 'TU-AIS',
        vendorName: 'TU_AIS',
        state: 'cleared',
        severity: 'major',
        suppressed: true,
        incidentId: 'INC-1',
        raisedAt: at(0),
      },
    ];
    const html = [
      incidentList(ctx, [i], () => t, 'INC-1'),
      detailBody(ctx, { incident: i, ticket: t, alarms, circuit: () => circuit, alarmsOpen: true }),
      circuitRows(ctx, [circuit], null),
    ].join('');
    const left = words(html, [
      'Xiangtan Steel',
      'noc-wang',
      'LOS',
      'TU-AIS',
      '13800000000',
      t.escalation.reason,
      '1-1',
      '4-1:1',
    ]);
    expect(left.match(/[A-Za-z]{2,}/g) ?? []).toEqual([]);
    expect(html).toContain('1 条告警');
    expect(html).toContain('1 条伴随告警');
    expect(html).toContain('倒换失败');
    expect(html).toContain('确认倒换到保护');
  });

  it("counts the incident's circuits by impact in the words of the ticket title", () => {
    const im = (circuit: string, impact: NonNullable<Incident['impacts']>[number]['impact']) => ({
      circuit,
      customer: 'C',
      priority: 'normal',
      impact,
    });
    const i = inc('INC-1', 'TKT-1', 0, {
      impacts: [im('CKT-1', 'down'), im('CKT-2', 'switched'), im('CKT-3', 'switched'), im('CKT-4', 'protection-lost')],
    });
    expect(incidentList(ctx, [i], () => undefined, null)).toContain('1 条中断、2 条已倒换、1 条失去保护');
    expect(incidentList({ ...ctx, lang: 'en' }, [i], () => undefined, null)).toContain(
      '1 down, 2 switched, 1 without protection',
    );
  });

  it('shows only the actions the role may take', () => {
    const viewer: Ctx = { lang: 'en', perms: new Set(['read']) };
    const i = inc('INC-1', 'TKT-1', 0);
    const html = detailBody(viewer, {
      incident: i,
      ticket: tk('TKT-1', 'INC-1', 'P2'),
      alarms: [],
      circuit: () => circuit,
      alarmsOpen: false,
    });
    expect(html).not.toContain('data-ticket-act');
    expect(html).not.toContain('data-switch');
    const eng = detailBody(
      { ...ctx, lang: 'en' },
      { incident: i, ticket: tk('TKT-1', 'INC-1', 'P2'), alarms: [], circuit: () => circuit, alarmsOpen: false },
    );
    expect(eng).toContain('data-ticket-act="ack"');
    expect(eng).toContain('data-switch="CKT-0001" data-to="protection"');
  });
});

describe('what the page asks the API', () => {
  it('GET /api/v1/whoami names the role and its permissions (all when auth is off)', async () => {
    const { apiHarness } = await import('./helpers/api.js');
    const on = await apiHarness('viewer:v1,operator:o1,engineer:e1');
    try {
      const who = async (tok?: string) =>
        on.app.inject({ url: '/api/v1/whoami', headers: tok ? { authorization: `Bearer ${tok}` } : {} });
      expect((await who()).statusCode).toBe(401);
      expect((await who('v1')).json()).toEqual({ auth: true, role: 'viewer', permissions: ['read'] });
      expect((await who('o1')).json()).toEqual({
        auth: true,
        role: 'operator',
        permissions: ['read', 'ack', 'note', 'close', 'maintain'],
      });
      expect((await who('e1')).json().permissions).toContain('switchover');
    } finally {
      await on.close();
    }
    const off = await apiHarness();
    try {
      const r = (await off.app.inject({ url: '/api/v1/whoami' })).json();
      expect(r).toMatchObject({ auth: false, role: null });
      expect(r.permissions).toContain('switchover');
      // One circuit comes with its route, for the page to draw its paths.
      const c = (await off.app.inject({ url: '/api/v1/circuits/CKT-0001' })).json();
      expect(c.route).toEqual({
        a: { node: 'XT-A1', port: expect.any(String), channel: expect.any(Number) },
        z: expect.objectContaining({ node: 'XT-A3' }),
        working: ['S-A1-A2', 'S-A2-A3'],
        protect: ['S-A6-A1', 'S-A5-A6', 'S-A4-A5', 'S-A3-A4'],
        access: ['ACC-0001'],
        equipment: expect.arrayContaining(['CPE-0001']),
      });
    } finally {
      await off.close();
    }
  });
});

describe('NOC page map', () => {
  const ctx: Ctx = { lang: 'zh-CN', perms: new Set(['read']) };
  const topo = JSON.parse(JSON.stringify(liveTopology(new Harness().graph, []))) as Parameters<
    typeof drawMap
  >[1]['topo'];
  const draw = (incidents: Incident[], route: Parameters<typeof drawMap>[1]['route'] = null, query = '') =>
    drawMap(ctx, { topo, live: liveStatus(incidents), query, onlyFaulty: false, route });

  it('draws the spur, its far node, access links and customer ends, each with its status', () => {
    const quiet = draw([]).html;
    expect(quiet).toContain('data-span="S-A5-L1" data-status="ok"');
    expect(quiet).toContain('data-node="XT-L1"');
    expect(quiet).toContain('data-access="ACC-0001" data-status="ok"');
    expect(quiet).toContain('data-cpe="CPE-0001" data-status="ok"');
    const spur = inc('INC-1', null, 0, { spans: ['S-A5-L1'], nodes: ['XT-A5', 'XT-L1'] });
    const access = inc('INC-2', null, 0, {
      kind: 'access-fiber-cut',
      spans: [],
      nodes: ['XT-A3'],
      accessLinks: ['ACC-0001'],
      equipment: ['CPE-0001'],
      detail: {},
    });
    const cpe = inc('INC-3', null, 0, {
      kind: 'cpe-failure',
      spans: [],
      nodes: [],
      accessLinks: [],
      equipment: ['CPE-0002'],
      detail: {},
    });
    const faulty = draw([spur, access, cpe]).html;
    expect(faulty).toContain('data-span="S-A5-L1" data-status="cut"');
    expect(faulty).toContain('data-access="ACC-0001" data-status="cut"');
    expect(faulty).toContain('data-cpe="CPE-0002" data-status="failed"');
    // Each link is drawn once, on the card of the first ring of its node.
    expect(faulty.split('data-span="S-A5-L1"').length).toBe(2);
  });

  it("draws a selected circuit's working and protection paths, the active one marked", () => {
    const route = {
      a: { node: 'XT-A1', port: '4-1' },
      z: { node: 'XT-A3', port: '4-1' },
      working: ['S-A1-A2', 'S-A2-A3'],
      protect: ['S-A6-A1', 'S-A5-A6', 'S-A4-A5', 'S-A3-A4'],
      access: ['ACC-0001'],
      equipment: [],
    };
    const html = draw([], { id: 'CKT-0001', route, active: 'protection' }).html;
    expect(html).toMatch(/class="route working" data-route-span="S-A1-A2"/);
    expect(html).toMatch(/class="route protect active" data-route-span="S-A6-A1"/);
    expect(html).toMatch(/class="node endpoint" data-node="XT-A3"/);
  });

  it('finds rings by a node hanging off them', () => {
    const m = draw([], null, 'xt-l1');
    expect(m.shown).toBe(1);
    expect(m.html).toContain('data-ring="RING-A"');
  });
});

// Contract 2 §8 planned works (割接): windows over REST (every route, role and 4xx), and
// timelines on virtual time through the real pipeline and a real SQLite file: a planned cut
// inside its window, the same cut overrunning it, a fault elsewhere during a window, and the
// pre-flight preview of a span whose protection has already failed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorksFile } from '../src/adapters/files/maintenance-file.js';
import { Window } from '../src/adapters/api/shapes.js';
import { Store } from '../src/adapters/store/sqlite.js';
import { apiHarness, type ApiHarness } from './helpers/api.js';
import { Harness } from './helpers/harness.js';

let ctx: ApiHarness;
afterEach(async () => {
  await ctx?.close();
});

const json = (r: { body: string }) => JSON.parse(r.body);
const TOKENS = 'viewer:v-tok,integration:i-tok,operator:o-tok,engineer:e-tok';
const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();

const create = (body: object, token?: string) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/maintenance',
    payload: body,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
const end = (id: string, token?: string) =>
  ctx.app.inject({
    method: 'DELETE',
    url: `/api/v1/maintenance/${id}`,
    payload: { by: 'eng-li' },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
const get = async (url: string) => json(await ctx.app.inject(url));

/** Planned works on S-A1-A2 from now for an hour (moving the cable to a new duct). */
const works = (extra: object = {}) => ({
  targets: { spans: ['S-A1-A2'] },
  from: at(ctx.h.now),
  to: at(ctx.h.now + 60 * MIN),
  reason: '光缆迁改 / cable moved to a new duct',
  by: 'eng-li',
  reference: 'CHG-2026-1129-01',
  ...extra,
});

function cutA1A2(): void {
  ctx.h.raise('XT-A1', '1-1', 'R_LOS');
  ctx.h.raise('XT-A2', '2-1', 'R_LOS');
}

describe('planned works over REST', () => {
  it('creates a window: 201 with the contract shape, circuits at risk and the preview', async () => {
    ctx = await apiHarness();
    const r = await create(works());
    expect(r.statusCode).toBe(201);
    const w = json(r);
    Window.parse(w);
    expect(w).toMatchObject({
      id: 'MW-1',
      targets: { spans: ['S-A1-A2'] },
      from: at(0),
      to: at(60 * MIN),
      reason: '光缆迁改 / cable moved to a new duct',
      by: 'eng-li',
      reference: 'CHG-2026-1129-01',
      state: 'active',
    });
    // CKT-0016 is unprotected on S-A1-A2: the cut takes it down. The protected ones switch.
    expect(w.circuitsAtRisk).toEqual(['CKT-0016']);
    expect(w.preview.switched).toEqual(expect.arrayContaining(['CKT-0001', 'CKT-0005']));
    expect(await get('/api/v1/maintenance/MW-1')).toMatchObject({
      id: 'MW-1',
      state: 'active',
      circuitsAtRisk: ['CKT-0016'],
    });
    const later = json(await create(works({ from: at(2 * 60 * MIN), to: at(3 * 60 * MIN), reference: undefined })));
    expect(later).toMatchObject({ id: 'MW-2', state: 'scheduled', reference: null });
  });

  it('answers 400 naming every unknown target, to <= from, a window too long, nothing named, bad fields', async () => {
    ctx = await apiHarness();
    const bad = async (body: object, fields: string[]) => {
      const r = await create(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      const e = json(r).error;
      expect(e.code).toBe('BAD_REQUEST');
      expect(e.details.map((d: { field: string }) => d.field)).toEqual(fields);
      expect(e.message).toContain(fields[0]);
    };
    await bad(works({ targets: { spans: ['S-A1-A2', 'S-9'], nodes: ['XT-Z9'], circuits: ['CKT-9999'] } }), [
      'body.targets.spans[1]',
      'body.targets.nodes[0]',
      'body.targets.circuits[0]',
    ]);
    await bad(works({ to: at(0) }), ['body.to']);
    await bad(works({ to: at(-MIN) }), ['body.to']);
    await bad(works({ to: at(25 * 60 * MIN) }), ['body.to']);
    await bad(works({ targets: {} }), ['body.targets']);
    await bad(works({ targets: { fibres: ['x'] } }), ['body.targets']);
    await bad(works({ reason: ' ' }), ['body.reason']);
    await bad(works({ from: 'tonight' }), ['body.from']);
    const { by: _b, ...noBy } = works();
    await bad(noBy, ['body.by']);
    expect(json(await create(works({ targets: { spans: ['S-9'] } }))).error.message).toBe(
      'body.targets.spans[0]: span "S-9" does not exist',
    );
    expect((await get('/api/v1/maintenance')).items).toEqual([]);
  });

  it('lists by state, ends a window early (200, then 409), 404 for unknown ids', async () => {
    ctx = await apiHarness();
    await create(works());
    await create(works({ from: at(2 * 60 * MIN), to: at(3 * 60 * MIN), reference: 'CHG-2' }));
    const ids = async (qs: string) => (await get(`/api/v1/maintenance${qs}`)).items.map((w: { id: string }) => w.id);
    expect(await ids('')).toEqual(['MW-2', 'MW-1']);
    expect(await ids('?state=active')).toEqual(['MW-1']);
    expect(await ids('?state=scheduled')).toEqual(['MW-2']);
    expect(await ids('?state=ended')).toEqual([]);
    const r = await end('MW-1');
    expect(r.statusCode).toBe(200);
    expect(json(r)).toMatchObject({
      id: 'MW-1',
      state: 'ended',
      endedAt: at(ctx.h.now),
      endedBy: 'eng-li',
      report: { incidents: [], overran: [] },
    });
    expect(await ids('?state=ended')).toEqual(['MW-1']);
    expect((await end('MW-1')).statusCode).toBe(409);
    expect((await end('MW-9')).statusCode).toBe(404);
    expect((await ctx.app.inject('/api/v1/maintenance/MW-9')).statusCode).toBe(404);
    expect((await ctx.app.inject('/api/v1/maintenance?state=over')).statusCode).toBe(400);
    // The scheduled one starts and ends on time.
    ctx.h.at(2 * 60 * MIN);
    expect(await ids('?state=active')).toEqual(['MW-2']);
    ctx.h.at(3 * 60 * MIN);
    expect(await get('/api/v1/maintenance/MW-2')).toMatchObject({
      state: 'ended',
      endedAt: at(3 * 60 * MIN),
      endedBy: null,
    });
  });

  it.each([
    ['viewer', 'v-tok', 403],
    ['integration', 'i-tok', 403],
    ['operator', 'o-tok', 201],
    ['engineer', 'e-tok', 201],
  ] as const)('role %s: create %s', async (_role, token, want) => {
    ctx = await apiHarness(TOKENS);
    expect((await create(works(), token)).statusCode).toBe(want);
    expect((await create(works())).statusCode).toBe(401);
    expect(
      (await ctx.app.inject({ url: '/api/v1/maintenance', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(200);
    expect(
      (
        await ctx.app.inject({
          url: '/api/v1/maintenance/preview?spans=S-A1-A2',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(200);
    if (want === 201) expect((await end('MW-1', token)).statusCode).toBe(200);
    else expect((await end('MW-1', token)).statusCode).toBe(403);
  });

  it('is described in the OpenAPI document', async () => {
    ctx = await apiHarness();
    const d = await get('/docs/json');
    for (const [path, method] of [
      ['/api/v1/maintenance', 'post'],
      ['/api/v1/maintenance', 'get'],
      ['/api/v1/maintenance/preview', 'get'],
      ['/api/v1/maintenance/{id}', 'get'],
      ['/api/v1/maintenance/{id}', 'delete'],
      ['/api/v1/alarms/{id}/ack', 'post'],
      ['/api/v1/tickets/{id}/notes', 'post'],
    ]) {
      expect(d.paths[path]?.[method], `${method} ${path}`).toBeTruthy();
    }
    expect(d.components.schemas.MaintenanceWindow.properties.state.enum).toEqual(['scheduled', 'active', 'ended']);
    expect(d.components.schemas.Ticket.properties.journal).toBeTruthy();
  });

  it('writes an audit line for creating and ending planned works', async () => {
    ctx = await apiHarness(TOKENS);
    await create(works(), 'o-tok');
    await end('MW-1', 'e-tok');
    expect(ctx.audit).toEqual([
      { audit: 'maintenance.create', target: '', by: 'eng-li', role: 'operator', ip: '127.0.0.1', status: 201 },
      { audit: 'maintenance.end', target: 'MW-1', by: 'eng-li', role: 'engineer', ip: '127.0.0.1', status: 200 },
    ]);
  });
});

describe('timelines', () => {
  it('a planned cut inside its window: recorded and correlated, a planned ticket that pages nobody and is not escalated, circuits true', async () => {
    ctx = await apiHarness();
    expect((await create(works())).statusCode).toBe(201);
    ctx.h.at(10 * MIN);
    cutA1A2();
    ctx.h.at(10 * MIN + 3000);
    const inc = await get('/api/v1/incidents/INC-1');
    expect(inc).toMatchObject({ kind: 'span-cut', spans: ['S-A1-A2'], maintenance: 'MW-1', alarmCount: 2 });
    const t = await get('/api/v1/tickets/TKT-1');
    expect(t).toMatchObject({ planned: true, maintenance: 'MW-1', escalation: { level: 1, group: 'duty' } });
    expect(t.title).toMatch(/^【割接 MW-1】/);
    expect(t.journal.map((e: { action: string }) => e.action)).toEqual(['created', 'planned']);
    // The unprotected circuit is down, and shown as planned; the VIP ones fail to switch (no switch sent).
    expect(await get('/api/v1/circuits/CKT-0016')).toMatchObject({ state: 'down', maintenance: 'MW-1' });
    ctx.h.at(10 * MIN + 15_000);
    expect(await get('/api/v1/circuits/CKT-0001')).toMatchObject({ state: 'switch-failed', maintenance: 'MW-1' });
    const p1 = await get('/api/v1/tickets/TKT-1');
    expect(p1).toMatchObject({ priority: 'P1', planned: true, escalation: { level: 1 } });
    // 15 minutes unacknowledged: a normal ticket would rise a level; a planned one does not.
    ctx.h.at(40 * MIN);
    expect(await get('/api/v1/tickets/TKT-1')).toMatchObject({ planned: true, escalation: { level: 1 }, seq: p1.seq });
    // Spliced inside the window: resolved, still planned.
    ctx.h.clear('XT-A1', '1-1', 'R_LOS');
    ctx.h.clear('XT-A2', '2-1', 'R_LOS');
    expect(await get('/api/v1/tickets/TKT-1')).toMatchObject({ state: 'resolved', planned: true });
    ctx.h.at(60 * MIN);
    expect(await get('/api/v1/maintenance/MW-1')).toMatchObject({
      state: 'ended',
      report: { incidents: ['INC-1'], overran: [], circuitsOnProtection: [] },
    });
    expect(await get('/api/v1/tickets/TKT-1')).toMatchObject({ state: 'resolved', planned: true });
    expect(await get('/api/v1/incidents/INC-1')).toMatchObject({ state: 'cleared', maintenance: 'MW-1' });
  });

  it('the same cut overrunning its window: a normal ticket at once when it ends (割接超时未恢复), escalated as usual; circuits left on protection reported', async () => {
    ctx = await apiHarness();
    await create(works());
    ctx.h.at(50 * MIN);
    cutA1A2();
    ctx.h.switch('XT-A1', '1-1', 'toProtection'); // the ring switches at both span ends
    ctx.h.switch('XT-A2', '2-1', 'toProtection');
    ctx.h.at(50 * MIN + 3000);
    expect(await get('/api/v1/tickets/TKT-1')).toMatchObject({
      planned: true,
      priority: 'P2',
      escalation: { level: 1 },
    });
    expect(await get('/api/v1/circuits/CKT-0001')).toMatchObject({ state: 'on-protection', maintenance: 'MW-1' });
    ctx.h.at(60 * MIN);
    const t = await get('/api/v1/tickets/TKT-1');
    expect(t).toMatchObject({ planned: false, overran: true, state: 'open', escalation: { level: 1, group: 'duty' } });
    expect(t.title).toMatch(/^【割接超时未恢复 MW-1】/);
    expect(t.journal.at(-1)).toMatchObject({
      by: 'ringguard',
      action: 'overran',
      text: expect.stringContaining('割接超时未恢复'),
    });
    const en = json(await ctx.app.inject({ url: '/api/v1/tickets/TKT-1', headers: { 'accept-language': 'en' } }));
    expect(en.title).toMatch(/^\[planned work overran MW-1\] /);
    expect(await get('/api/v1/incidents/INC-1')).toMatchObject({ state: 'open', maintenance: null });
    expect(await get('/api/v1/circuits/CKT-0001')).toMatchObject({ state: 'on-protection', maintenance: null });
    const w = await get('/api/v1/maintenance/MW-1');
    expect(w).toMatchObject({ state: 'ended', report: { incidents: ['INC-1'], overran: ['INC-1'] } });
    expect(w.report.circuitsOnProtection).toEqual(expect.arrayContaining(['CKT-0001', 'CKT-0005']));
    expect(w.report.circuitsOnProtection).not.toContain('CKT-0016');
    // The ticket is now escalated like any other.
    ctx.h.at(60 * MIN + 15 * MIN);
    expect(await get('/api/v1/tickets/TKT-1')).toMatchObject({ escalation: { level: 2, group: 'implementation' } });
  });

  it('ending a window early with its incident open makes the ticket normal at once (P1 starts at level 2)', async () => {
    ctx = await apiHarness();
    await create(works());
    cutA1A2();
    ctx.h.advance(15_000); // switch timeout: VIP circuits switch-failed, P1
    expect(await get('/api/v1/tickets/TKT-1')).toMatchObject({
      planned: true,
      priority: 'P1',
      escalation: { level: 1 },
    });
    expect((await end('MW-1')).statusCode).toBe(200);
    expect(await get('/api/v1/tickets/TKT-1')).toMatchObject({
      planned: false,
      overran: true,
      escalation: { level: 2, group: 'implementation' },
    });
  });

  it('a fault elsewhere during a window is a normal incident', async () => {
    ctx = await apiHarness();
    await create(works());
    ctx.h.at(5 * MIN);
    ctx.h.raise('XT-A3', '1-1', 'R_LOS'); // S-A3-A4, not in the works
    ctx.h.raise('XT-A4', '2-1', 'R_LOS');
    ctx.h.at(5 * MIN + 3000);
    const inc = (await get('/api/v1/incidents?state=open')).items;
    expect(inc).toHaveLength(1);
    expect(inc[0]).toMatchObject({ spans: ['S-A3-A4'], maintenance: null });
    const t = await get(`/api/v1/tickets/${inc[0].ticketId}`);
    expect(t).toMatchObject({ planned: false });
    expect(t.title).not.toMatch(/割接/);
    ctx.h.at(5 * MIN + 3000 + 15 * MIN);
    expect((await get(`/api/v1/tickets/${inc[0].ticketId}`)).escalation.level).toBeGreaterThan(t.escalation.level);
  });

  it('preview of a span whose protection has already failed lists the VIP circuits the cut would take down', async () => {
    ctx = await apiHarness();
    // Before: the protected circuits on S-A1-A2 would switch; only the unprotected one goes down.
    const before = await get('/api/v1/maintenance/preview?spans=S-A1-A2');
    expect(before).toMatchObject({ circuitsAtRisk: ['CKT-0016'], vip: [] });
    expect(before.switched).toEqual(expect.arrayContaining(['CKT-0001', 'CKT-0003', 'CKT-0005']));
    // S-A4-A5 is already cut: the circuits on S-A1-A2 have lost their protection path.
    ctx.h.raise('XT-A4', '1-1', 'R_LOS');
    ctx.h.raise('XT-A5', '2-1', 'R_LOS');
    ctx.h.advance(3000);
    expect(await get('/api/v1/circuits/CKT-0001')).toMatchObject({ state: 'ok', protectionAvailable: false });
    const p = await get('/api/v1/maintenance/preview?spans=S-A1-A2');
    expect(p.circuitsAtRisk).toEqual(expect.arrayContaining(['CKT-0001', 'CKT-0003', 'CKT-0005', 'CKT-0016']));
    expect(p.vip).toEqual(expect.arrayContaining(['CKT-0001', 'CKT-0003']));
    for (const id of p.vip)
      expect(p.circuits.find((c: { circuit: string }) => c.circuit === id)).toMatchObject({
        priority: 'vip',
        outcome: 'down',
      });
    expect(p.circuits.find((c: { circuit: string }) => c.circuit === 'CKT-0001').reason).toMatch(/already failed/);
    expect(p.circuits.find((c: { circuit: string }) => c.circuit === 'CKT-0016').reason).toMatch(/unprotected/);
    // The window created over it reports the same risk.
    expect(json(await create(works())).circuitsAtRisk).toEqual(p.circuitsAtRisk);
    for (const [qs, field] of [
      ['spans=S-9', 'querystring.spans[0]'],
      ['', 'querystring'],
      ['nodes=XT-A1,XT-Q', 'querystring.nodes[1]'],
    ]) {
      const r = await ctx.app.inject(`/api/v1/maintenance/preview?${qs}`);
      expect(r.statusCode, qs).toBe(400);
      expect(json(r).error.details[0].field).toBe(field);
    }
    // A node in the works takes down what it drops, whatever the protection.
    const node = await get('/api/v1/maintenance/preview?nodes=XT-A2');
    expect(node.circuits.find((c: { circuit: string }) => c.circuit === 'CKT-0005')).toMatchObject({
      outcome: 'down',
      reason: 'its end node XT-A2 is in the works',
    });
  });
});

describe('persistence and the works file', () => {
  it('a window, its planned incident and the journal survive a restart; the window still ends on time', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rg-mw-')), 'rg.db');
    const h = new Harness().persistFile(file);
    expect(
      h.command({
        kind: 'maintenance-create',
        window: { targets: { spans: ['S-A1-A2'] }, from: 0, to: 60 * MIN, reason: 'r', by: 'eng-li', reference: null },
      }),
    ).toMatchObject({ ok: true });
    h.raise('XT-A1', '1-1', 'R_LOS');
    h.raise('XT-A2', '2-1', 'R_LOS');
    h.advance(3000);
    h.restart();
    expect(h.tickets.get('TKT-1')).toMatchObject({ planned: true });
    h.at(30 * MIN);
    expect(h.incidents.get('INC-1')).toMatchObject({ maintenance: 'MW-1' });
    h.at(60 * MIN);
    const reader = new Store(file);
    expect(reader.getTicket('TKT-1')).toMatchObject({ planned: false, overran: true });
    expect(reader.getTicket('TKT-1')!.journal.map((e) => e.action)).toEqual([
      'created',
      'planned',
      'priority',
      'overran',
      'escalated',
    ]);
    expect(reader.getWindow('MW-1')).toMatchObject({ report: { overran: ['INC-1'] } });
    reader.close();
    // Numbering continues after a restart.
    h.restart();
    expect(
      h.command({
        kind: 'maintenance-create',
        window: { targets: { nodes: ['XT-A3'] }, from: 61 * MIN, to: 62 * MIN, reason: 'r', by: 'x', reference: null },
      }),
    ).toMatchObject({ ok: true, window: { id: 'MW-2', state: 'scheduled' } });
  });

  it('loads scheduled works from YAML, naming every problem with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-works-'));
    const h = new Harness();
    const good = join(dir, 'works.yaml');
    writeFileSync(
      good,
      `works:
  - reference: CHG-2026-1130-01
    targets: { spans: [S-A1-A2], nodes: [XT-A3] }
    from: 2026-11-30T00:00:00+08:00
    to: 2026-11-30T06:00:00+08:00
    reason: 光缆迁改
    by: eng-li
`,
    );
    expect(loadWorksFile(good, h.graph, 86_400_000)).toEqual([
      {
        reference: 'CHG-2026-1130-01',
        targets: { spans: ['S-A1-A2'], nodes: ['XT-A3'] },
        from: Date.parse('2026-11-29T16:00:00Z'),
        to: Date.parse('2026-11-29T22:00:00Z'),
        reason: '光缆迁改',
        by: 'eng-li',
      },
    ]);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `works:
  - reference: CHG-1
    targets: { spans: [S-9] }
    from: 2026-11-30T00:00:00Z
    to: 2026-11-29T00:00:00Z
    reason: x
    by: y
`,
    );
    expect(() => loadWorksFile(bad, h.graph, 86_400_000)).toThrow(
      `${bad}: works[0].targets.spans[0]: span "S-9" does not exist\n${bad}: works[0].to: must be after from`,
    );
    writeFileSync(bad, 'works:\n  - { reference: CHG-1, targets: { spans: [S-A1-A2] }, reason: x, by: y }\n');
    expect(() => loadWorksFile(bad, h.graph, 86_400_000)).toThrow(`${bad}: works[0].from:`);
  });
});

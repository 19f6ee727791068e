// Every route through inject(), with every error status and every role.
import { afterEach, describe, expect, it } from 'vitest';
import { Alarm, Circuit, Incident, Ticket } from '../src/adapters/api/shapes.js';
import { apiHarness, type ApiHarness } from './helpers/api.js';

let ctx: ApiHarness;
afterEach(async () => {
  await ctx?.close();
});

/** A span cut on S-A1-A2 decided, tickets made. */
async function withSpanCut(tokens?: string): Promise<ApiHarness> {
  ctx = await apiHarness(tokens);
  const { h } = ctx;
  h.raise('XT-A1', '1-1', 'R_LOS');
  h.raise('XT-A2', '2-1', 'R_LOS');
  h.raise('XT-A3', '4-1:1', 'TU_AIS');
  h.advance(3000);
  return ctx;
}

const json = (r: { body: string }) => JSON.parse(r.body);

describe('REST API', () => {
  it('GET /api/v1/health', async () => {
    ctx = await apiHarness();
    const r = await ctx.app.inject('/api/v1/health');
    expect(r.statusCode).toBe(200);
    expect(json(r)).toEqual({ status: 'ok', version: '0.0.0-test', uptimeS: 1, checks: {} });
  });

  it('lists alarms with filters and cursor pagination', async () => {
    await withSpanCut();
    const all = json(await ctx.app.inject('/api/v1/alarms?state=all'));
    expect(all.items).toHaveLength(3);
    expect(all.items[0]).toMatchObject({
      id: 'ALM-3',
      node: 'XT-A3',
      object: '4-1:1',
      type: 'TU-AIS',
      vendorName: 'TU_AIS',
      state: 'active',
      suppressed: true,
      count: 1,
    });
    expect(Object.keys(all.items[0])).toEqual(
      expect.arrayContaining([
        'id',
        'node',
        'object',
        'type',
        'vendorName',
        'severity',
        'state',
        'raisedAt',
        'clearedAt',
        'count',
        'incidentId',
        'suppressed',
      ]),
    );
    const byNode = json(await ctx.app.inject('/api/v1/alarms?node=XT-A1'));
    expect(byNode.items.map((a: { node: string }) => a.node)).toEqual(['XT-A1']);
    const byType = json(await ctx.app.inject('/api/v1/alarms?type=LOS&state=active'));
    expect(byType.items).toHaveLength(2);
    const p1 = json(await ctx.app.inject('/api/v1/alarms?limit=2'));
    expect(p1.items.map((a: { id: string }) => a.id)).toEqual(['ALM-3', 'ALM-2']);
    expect(p1.cursor).toBeTruthy();
    const p2 = json(await ctx.app.inject(`/api/v1/alarms?limit=2&cursor=${p1.cursor}`));
    expect(p2.items.map((a: { id: string }) => a.id)).toEqual(['ALM-1']);
    expect(p2.cursor).toBeNull();
    ctx.h.clear('XT-A1', '1-1', 'R_LOS');
    const cleared = json(await ctx.app.inject('/api/v1/alarms?state=cleared'));
    expect(cleared.items.map((a: { id: string }) => a.id)).toEqual(['ALM-1']);
  });

  it('rejects bad query values with 400 naming the field', async () => {
    ctx = await apiHarness();
    for (const [url, field] of [
      ['/api/v1/alarms?state=bogus', 'querystring.state'],
      ['/api/v1/alarms?limit=0', 'querystring.limit'],
      ['/api/v1/alarms?limit=1001', 'querystring.limit'],
      ['/api/v1/alarms?cursor=abc', 'querystring.cursor'],
      ['/api/v1/incidents?state=closed', 'querystring.state'],
      ['/api/v1/circuits?state=broken', 'querystring.state'],
      ['/api/v1/circuits?priority=gold', 'querystring.priority'],
      ['/api/v1/tickets?since=-1', 'querystring.since'],
    ]) {
      const r = await ctx.app.inject(url);
      expect(r.statusCode, url).toBe(400);
      const body = json(r);
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.message).toContain(field);
      expect(body.error.details[0].field).toBe(field);
    }
  });

  it('lists incidents and shows one with its alarms; 404 for an unknown id', async () => {
    await withSpanCut();
    const list = json(await ctx.app.inject('/api/v1/incidents?state=open'));
    expect(list.items).toHaveLength(1);
    const inc = list.items[0];
    expect(inc).toMatchObject({
      id: 'INC-1',
      kind: 'span-cut',
      state: 'open',
      spans: ['S-A1-A2'],
      alarmCount: 3,
      ticketId: 'TKT-1',
      clearedAt: null,
    });
    expect(inc.rootAlarmIds.sort()).toEqual(['ALM-1', 'ALM-2']);
    expect(inc.affectedCircuits).toContain('CKT-0001');
    expect(Object.keys(inc)).toEqual(
      expect.arrayContaining(['openedAt', 'nodes', 'sites', 'accessLinks', 'equipment', 'detail']),
    );
    const one = json(await ctx.app.inject('/api/v1/incidents/INC-1'));
    expect(one.alarms.map((a: { id: string }) => a.id)).toEqual(['ALM-1', 'ALM-2', 'ALM-3']);
    expect(json(await ctx.app.inject('/api/v1/incidents?state=cleared')).items).toEqual([]);
    const nf = await ctx.app.inject('/api/v1/incidents/INC-99');
    expect(nf.statusCode).toBe(404);
    expect(json(nf).error.code).toBe('NOT_FOUND');
  });

  it('lists circuits by state and priority', async () => {
    await withSpanCut();
    const sr = json(await ctx.app.inject('/api/v1/circuits?state=switch-required'));
    expect(sr.items.map((c: { id: string }) => c.id)).toContain('CKT-0001');
    for (const c of sr.items) expect(c.state).toBe('switch-required');
    const all = json(await ctx.app.inject('/api/v1/circuits?state=&priority='));
    expect(all.items).toHaveLength(24);
    const vip = json(await ctx.app.inject('/api/v1/circuits?priority=vip'));
    expect(vip.items.length).toBeGreaterThan(0);
    for (const c of vip.items) expect(c.priority).toBe('vip');
    const c1 = sr.items.find((c: { id: string }) => c.id === 'CKT-0001');
    expect(c1).toMatchObject({
      customer: 'Xiangtan Iron & Steel (湘钢)',
      priority: 'vip',
      protection: 'ms-spring',
      activePath: 'working',
      protectionAvailable: true,
      confirmedBy: null,
      workingRestored: false,
      atRiskUntil: null,
      incidentIds: ['INC-1'],
    });
  });

  it('confirms a switchover: 200 from switch-required, 409 otherwise, 404 unknown, 400 bad body', async () => {
    await withSpanCut();
    const ok = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/circuits/CKT-0001/switchover',
      payload: { confirmedBy: 'eng-li', note: 'manual switch at XT-A1' },
    });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({
      id: 'CKT-0001',
      state: 'on-protection',
      activePath: 'protection',
      confirmedBy: 'eng-li',
    });
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/circuits/CKT-0001/switchover',
      payload: { confirmedBy: 'eng-li' },
    });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('CONFLICT');
    const okCircuit = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/circuits/CKT-0012/switchover',
      payload: { confirmedBy: 'x' },
    });
    expect(okCircuit.statusCode).toBe(409);
    const nf = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/circuits/CKT-9999/switchover',
      payload: { confirmedBy: 'x' },
    });
    expect(nf.statusCode).toBe(404);
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/circuits/CKT-0003/switchover',
      payload: { note: 'no name' },
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.details[0].field).toBe('body.confirmedBy');
    const empty = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/circuits/CKT-0003/switchover',
      payload: { confirmedBy: '  ' },
    });
    expect(empty.statusCode).toBe(400);
    const notJson = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/circuits/CKT-0003/switchover',
      headers: { 'content-type': 'application/json' },
      payload: '{nope',
    });
    expect(notJson.statusCode).toBe(400);
    expect(json(notJson).error.code).toBe('BAD_REQUEST');
    const form = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/circuits/CKT-0003/switchover',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'confirmedBy=x',
    });
    expect(form.statusCode).toBe(400);
    expect(json(form).error.code).toBe('BAD_REQUEST');
    const noBody = await ctx.app.inject({ method: 'POST', url: '/api/v1/circuits/CKT-0003/switchover' });
    expect(noBody.statusCode).toBe(400);
    // The stored circuit shows the confirmation too.
    const listed = json(await ctx.app.inject('/api/v1/circuits?state=on-protection')).items.map(
      (c: { id: string }) => c.id,
    );
    expect(listed).toContain('CKT-0001');
  });

  it('switchover to either path: 409 naming the failed span, manual revert of a non-revertive circuit, 400 for a bad `to`', async () => {
    await withSpanCut(); // S-A1-A2 cut: CKT-0001 (MS-SPRing, working over it) switch-required
    const post = (id: string, payload: object) =>
      ctx.app.inject({ method: 'POST', url: `/api/v1/circuits/${id}/switchover`, payload });
    const toWorking = await post('CKT-0001', { confirmedBy: 'eng-li', to: 'working' });
    expect(toWorking.statusCode).toBe(409);
    expect(json(toWorking).error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('span S-A1-A2') });
    const badTo = await post('CKT-0001', { confirmedBy: 'eng-li', to: 'sideways' });
    expect(badTo.statusCode).toBe(400);
    expect(json(badTo).error.details[0].field).toBe('body.to');
    await ctx.close();
    // CKT-0007 (SNCP, non-revertive) working over S-A5-A6: cut, switched at its drop, repaired.
    ctx = await apiHarness();
    const { h } = ctx;
    h.raise('XT-A5', '1-1', 'R_LOS');
    h.raise('XT-A6', '2-1', 'R_LOS');
    h.switch('XT-A1', '4-1:7', 'toProtection');
    h.advance(3000);
    const early = await post('CKT-0007', { confirmedBy: 'eng-li' });
    expect(early.statusCode).toBe(409);
    expect(json(early).error.message).toContain('span S-A5-A6');
    h.clear('XT-A5', '1-1', 'R_LOS');
    h.clear('XT-A6', '2-1', 'R_LOS');
    expect(json(await ctx.app.inject('/api/v1/circuits/CKT-0007'))).toMatchObject({
      state: 'on-protection',
      workingRestored: true,
    });
    const revert = await post('CKT-0007', { confirmedBy: 'eng-li', note: 'revert after splice' });
    expect(revert.statusCode).toBe(200);
    expect(json(revert)).toMatchObject({
      id: 'CKT-0007',
      state: 'ok',
      activePath: 'working',
      workingRestored: false,
      confirmedBy: 'eng-li',
    });
    expect(json(await ctx.app.inject('/api/v1/circuits/CKT-0007'))).toMatchObject({
      state: 'ok',
      activePath: 'working',
    });
    expect((await post('CKT-0007', { confirmedBy: 'eng-li', to: 'working' })).statusCode).toBe(409);
  });

  it('serves the ticket feed exactly once per change, oldest first, with cursor', async () => {
    await withSpanCut();
    const f1 = json(await ctx.app.inject('/api/v1/tickets?since=0'));
    expect(f1.items).toHaveLength(1);
    const t = f1.items[0];
    expect(t).toMatchObject({
      id: 'TKT-1',
      incidentId: 'INC-1',
      kind: 'span-cut',
      priority: 'P2',
      state: 'open',
      escalation: { level: 1, group: 'duty' },
      ackBy: null,
      closedBy: null,
      resolvedAt: null,
    });
    expect(t.title).toContain('光缆中断');
    expect(t.runbook[0]).toMatchObject({ step: 1 });
    expect(t.customers).toContain('Xiangtan Iron & Steel (湘钢)');
    const f2 = json(await ctx.app.inject(`/api/v1/tickets?since=${f1.cursor}`));
    expect(f2.items).toEqual([]);
    expect(f2.cursor).toBe(f1.cursor);
    // A change (switch timeout -> P1) appears once.
    ctx.h.advance(11_000);
    const f3 = json(await ctx.app.inject(`/api/v1/tickets?since=${f1.cursor}`));
    expect(f3.items).toHaveLength(1);
    expect(f3.items[0]).toMatchObject({ id: 'TKT-1', priority: 'P1', escalation: { level: 2 } });
    expect(f3.cursor).toBeGreaterThan(f1.cursor);
    expect(json(await ctx.app.inject(`/api/v1/tickets?since=${f3.cursor}`)).items).toEqual([]);
  });

  it('localises the ticket by Accept-Language (zh-CN default, en on request)', async () => {
    await withSpanCut();
    const zh = json(await ctx.app.inject('/api/v1/tickets/TKT-1'));
    expect(zh.title).toMatch(/光缆中断/);
    expect(zh.runbook[2].text).toMatch(/OTDR/);
    const en = json(
      await ctx.app.inject({ url: '/api/v1/tickets/TKT-1', headers: { 'accept-language': 'en-US,en;q=0.9' } }),
    );
    expect(en.title).toMatch(/^Fibre cut on span S-A1-A2/);
    expect(en.runbook.map((s: { text: string }) => s.text).join(' ')).toMatch(/OTDR/);
    const pref = json(
      await ctx.app.inject({ url: '/api/v1/tickets/TKT-1', headers: { 'accept-language': 'en;q=0.5, zh-CN;q=0.9' } }),
    );
    expect(pref.title).toMatch(/光缆中断/);
    expect((await ctx.app.inject('/api/v1/tickets/TKT-9')).statusCode).toBe(404);
  });

  it('acks and closes tickets with the legal states', async () => {
    await withSpanCut();
    const ack = await ctx.app.inject({ method: 'POST', url: '/api/v1/tickets/TKT-1/ack', payload: { by: 'noc-wang' } });
    expect(ack.statusCode).toBe(200);
    expect(json(ack)).toMatchObject({ state: 'acknowledged', ackBy: 'noc-wang' });
    const early = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tickets/TKT-1/close',
      payload: { by: 'noc-wang' },
    });
    expect(early.statusCode).toBe(409);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/tickets/TKT-1/ack', payload: {} })).statusCode).toBe(
      400,
    );
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/v1/tickets/TKT-7/ack', payload: { by: 'x' } })).statusCode,
    ).toBe(404);
    ctx.h.clear('XT-A1', '1-1', 'R_LOS');
    ctx.h.clear('XT-A2', '2-1', 'R_LOS');
    const resolved = json(await ctx.app.inject('/api/v1/tickets/TKT-1'));
    expect(resolved).toMatchObject({ state: 'resolved' });
    // History stays: the cleared incident and its ticket still name the circuits it hit.
    expect(resolved.affectedCircuits).toContain('CKT-0001');
    expect(resolved.title).toMatch(
      /^光缆中断：段 S-A1-A2（XT-A1—XT-A2），双纤中断，1 条中断、6 条待倒换、11 条失去保护$/,
    );
    const inc = json(await ctx.app.inject('/api/v1/incidents/INC-1'));
    expect(inc).toMatchObject({ state: 'cleared' });
    expect(inc.affectedCircuits).toContain('CKT-0001');
    expect(resolved.resolvedAt).toBeTruthy();
    const close = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tickets/TKT-1/close',
      payload: { by: 'noc-wang', note: 'spliced at km 3.2' },
    });
    expect(close.statusCode).toBe(200);
    expect(json(close)).toMatchObject({ state: 'closed', closedBy: 'noc-wang' });
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/v1/tickets/TKT-1/close', payload: { by: 'x' } })).statusCode,
    ).toBe(409);
  });

  it('shows the topology with live span status', async () => {
    await withSpanCut();
    const t = json(await ctx.app.inject('/api/v1/topology'));
    expect(t.network).toBe('xiangtan-demo');
    expect(t.spans.find((s: { id: string }) => s.id === 'S-A1-A2')).toMatchObject({
      status: 'cut',
      incidents: ['INC-1'],
      ring: 'RING-A',
    });
    expect(t.spans.find((s: { id: string }) => s.id === 'S-A2-A3')).toMatchObject({ status: 'ok' });
    expect(t.rings.map((r: { id: string }) => r.id)).toEqual(['RING-A', 'RING-B']);
  });

  it('serves Prometheus metrics and the OpenAPI document', async () => {
    await withSpanCut();
    const m = await ctx.app.inject('/metrics');
    expect(m.statusCode).toBe(200);
    expect(m.body).toMatch(/^ringguard_alarms_active 3$/m);
    expect(m.body).toMatch(/^ringguard_incidents_open 1$/m);
    expect(m.body).toMatch(/ringguard_pipeline_latency_seconds_bucket/);
    const d = json(await ctx.app.inject('/docs/json'));
    expect(d.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/v1/health',
      '/api/v1/alarms',
      '/api/v1/incidents/{id}',
      '/api/v1/circuits/{id}/switchover',
      '/api/v1/tickets',
      '/api/v1/tickets/{id}/ack',
      '/api/v1/tickets/{id}/close',
      '/api/v1/topology',
      '/api/v1/events',
    ]) {
      expect(d.paths[p], p).toBeTruthy();
    }
    expect(d.paths['/api/v1/circuits/{id}/switchover'].post.requestBody).toBeTruthy();
    // The shapes an integrator needs are described, with the coded errors.
    const ok = d.paths['/api/v1/tickets'].get.responses['200'].content['application/json'].schema;
    const text = JSON.stringify(d);
    expect(JSON.stringify(ok)).toMatch(/Ticket/);
    for (const shape of ['Alarm', 'Incident', 'Circuit', 'Ticket'])
      expect(d.components.schemas[shape], shape).toBeTruthy();
    expect(d.components.schemas.Ticket.properties.escalation.properties.group.enum).toEqual([
      'duty',
      'implementation',
      'leadership',
    ]);
    expect(d.paths['/api/v1/circuits/{id}/switchover'].post.responses['409']).toBeTruthy();
    expect(text).toMatch(/CONFLICT/);
  });

  it('answers in the shapes of contract section 7 (checked against the documented schemas)', async () => {
    await withSpanCut();
    ctx.h.raise('XT-B3', '', 'MAINS_FAIL');
    ctx.h.advance(3000);
    for (const a of json(await ctx.app.inject('/api/v1/alarms')).items) Alarm.parse(a);
    for (const i of json(await ctx.app.inject('/api/v1/incidents')).items) Incident.parse(i);
    Incident.parse(json(await ctx.app.inject('/api/v1/incidents/INC-1')));
    const circuits = json(await ctx.app.inject('/api/v1/circuits')).items;
    expect(circuits).toHaveLength(24);
    for (const c of circuits) Circuit.parse(c);
    expect(circuits.find((c: { id: string }) => c.id === 'CKT-0008')).toMatchObject({ state: 'at-risk' });
    const tickets = json(await ctx.app.inject('/api/v1/tickets')).items;
    expect(tickets).toHaveLength(2);
    for (const t of tickets) Ticket.parse(t);
  });

  it('returns coded 404 for unknown routes', async () => {
    ctx = await apiHarness();
    const r = await ctx.app.inject('/api/v1/nope');
    expect(r.statusCode).toBe(404);
    expect(json(r).error.code).toBe('NOT_FOUND');
  });
});

describe('auth', () => {
  const TOKENS = 'viewer:v-tok,integration:i-tok,operator:o-tok,engineer:e-tok';
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  it('needs a known bearer token on every /api/v1 call when tokens are set', async () => {
    await withSpanCut(TOKENS);
    // Contract 2: the health check needs no token (probes).
    expect((await ctx.app.inject('/api/v1/health')).statusCode).toBe(200);
    expect(json(await ctx.app.inject('/api/v1/alarms')).error.code).toBe('UNAUTHORIZED');
    expect((await ctx.app.inject({ url: '/api/v1/alarms', headers: bearer('nope') })).statusCode).toBe(401);
    expect(
      (await ctx.app.inject({ url: '/api/v1/alarms', headers: { authorization: 'Basic dj10b2s=' } })).statusCode,
    ).toBe(401);
    for (const t of ['v-tok', 'i-tok', 'o-tok', 'e-tok'])
      expect((await ctx.app.inject({ url: '/api/v1/incidents', headers: bearer(t) })).statusCode).toBe(200);
    expect((await ctx.app.inject('/metrics')).statusCode).toBe(200);
  });

  it.each([
    ['viewer', 'v-tok', { ack: 403, close: 403, switchover: 403 }],
    ['integration', 'i-tok', { ack: 200, close: 403, switchover: 403 }],
    ['operator', 'o-tok', { ack: 200, close: 409, switchover: 403 }],
    ['engineer', 'e-tok', { ack: 200, close: 409, switchover: 200 }],
  ] as const)('role %s', async (_role, token, want) => {
    await withSpanCut(TOKENS);
    const post = (url: string, payload: object) =>
      ctx.app.inject({ method: 'POST', url, payload, headers: bearer(token) });
    const ack = await post('/api/v1/tickets/TKT-1/ack', { by: 'x' });
    expect(ack.statusCode).toBe(want.ack);
    if (ack.statusCode === 403) expect(json(ack).error.code).toBe('FORBIDDEN');
    // close: allowed roles get 409 because the ticket is not resolved yet
    expect((await post('/api/v1/tickets/TKT-1/close', { by: 'x' })).statusCode).toBe(want.close);
    expect((await post('/api/v1/circuits/CKT-0001/switchover', { confirmedBy: 'x' })).statusCode).toBe(want.switchover);
  });

  it('rejects a malformed RINGGUARD_API_TOKENS', async () => {
    await expect(apiHarness('admin:x')).rejects.toThrow(/RINGGUARD_API_TOKENS/);
  });
});

describe('SSE', () => {
  it('sends a hello, heartbeats and events, and ends the stream cleanly when the server closes', async () => {
    ctx = await apiHarness();
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (ctx.app.server.address() as { port: number }).port;
    const http = await import('node:http');
    let text = '';
    let ended = false;
    await new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/api/v1/events' }, (res) => {
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          res.on('data', (d) => {
            text += String(d);
          });
          res.on('end', () => {
            ended = true;
          });
          resolve();
        })
        .on('error', reject);
    });
    const until = async (re: RegExp) => {
      for (let i = 0; i < 100 && !re.test(text); i++) await new Promise((r) => setTimeout(r, 20));
      expect(text).toMatch(re);
    };
    await until(/event: hello/);
    await until(/: heartbeat/);
    ctx.h.raise('XT-A1', '1-1', 'R_LOS');
    await until(/event: alarm\ndata: \{"id":"ALM-1"/);
    ctx.h.advance(3000);
    await until(/event: incident/);
    await until(/event: circuit/);
    await until(/event: ticket/);
    await ctx.app.close();
    for (let i = 0; i < 50 && !ended; i++) await new Promise((r) => setTimeout(r, 20));
    expect(ended).toBe(true);
  });
});

describe('merged incidents', () => {
  it('are left out of the list once a node failure explains the separate cuts around it', async () => {
    ctx = await apiHarness();
    const { h } = ctx;
    // Gateway XT-A2 sits on both rings: four neighbours. Their LOS arrive one by one.
    h.raise('XT-A1', '1-1', 'R_LOS');
    h.advance(3000);
    h.raise('XT-A3', '2-1', 'R_LOS');
    h.advance(3000);
    h.raise('XT-B1', '2-1', 'R_LOS');
    h.advance(3000);
    expect(
      json(await ctx.app.inject('/api/v1/incidents?state=open')).items.map((i: { kind: string }) => i.kind),
    ).toEqual(['span-cut', 'span-cut', 'span-cut']);
    h.raise('XT-A4', '5-1', 'R_LOS');
    h.advance(3000);
    const all = json(await ctx.app.inject('/api/v1/incidents?state=all')).items;
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: 'INC-1', kind: 'node-failure', nodes: ['XT-A2'], alarmCount: 4, state: 'open' });
    const merged = json(await ctx.app.inject('/api/v1/incidents/INC-2'));
    expect(merged).toMatchObject({ state: 'cleared', mergedInto: 'INC-1', alarms: [] });
    expect(json(await ctx.app.inject('/api/v1/tickets/TKT-2')).state).toBe('resolved');
    expect(json(await ctx.app.inject('/api/v1/tickets/TKT-1')).kind).toBe('node-failure');
  });
});

// Contract 2 §7/§8: the ticket journal, notes, acknowledgement (tickets and alarms), the ticket
// list with its filters and CSV export, the audit log. Real HTTP (inject), a real SQLite file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Alarm, Ticket } from '../src/adapters/api/shapes.js';
import { Store } from '../src/adapters/store/sqlite.js';
import type { StoredTicket } from '../src/core/tickets/engine.js';
import { apiHarness, type ApiHarness } from './helpers/api.js';
import { Harness } from './helpers/harness.js';

let ctx: ApiHarness;
afterEach(async () => {
  await ctx?.close();
});

const json = (r: { body: string }) => JSON.parse(r.body);
const TOKENS = 'viewer:v-tok,integration:i-tok,operator:o-tok,engineer:e-tok';

/** A span cut on S-A1-A2 (TKT-1, P2, P1 once its VIP circuits fail to switch), a minute later a 2M fault on CKT-0012 (TKT-2, P2, normal). */
async function twoFaults(tokens?: string): Promise<ApiHarness> {
  ctx = await apiHarness(tokens);
  ctx.h.raise('XT-A1', '1-1', 'R_LOS');
  ctx.h.raise('XT-A2', '2-1', 'R_LOS');
  ctx.h.advance(3000);
  ctx.h.advance(60_000);
  ctx.h.raise('XT-A4', '4-1:2', 'T_ALOS');
  ctx.h.advance(3000);
  return ctx;
}

const post = (url: string, payload: object, token?: string) =>
  ctx.app.inject({ method: 'POST', url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('ticket journal', () => {
  it('records creation, priority and escalation changes, acks, notes, switchovers, resolution and close in order', async () => {
    await twoFaults();
    ctx.h.advance(11_000); // switch timeout: VIP circuits switch-failed -> P1, level 2
    expect(
      (await post('/api/v1/circuits/CKT-0001/switchover', { confirmedBy: 'eng-li', note: 'forced at XT-A1' }))
        .statusCode,
    ).toBe(200);
    expect((await post('/api/v1/tickets/TKT-1/ack', { by: 'noc-wang' })).statusCode).toBe(200);
    const note = await post('/api/v1/tickets/TKT-1/notes', { by: 'noc-wang', text: 'OTDR: break at 3.2 km' });
    expect(note.statusCode).toBe(201);
    expect(json(note).journal.at(-1)).toMatchObject({ by: 'noc-wang', action: 'note', text: 'OTDR: break at 3.2 km' });
    ctx.h.clear('XT-A1', '1-1', 'R_LOS');
    ctx.h.clear('XT-A2', '2-1', 'R_LOS');
    expect((await post('/api/v1/tickets/TKT-1/close', { by: 'noc-wang', note: 'spliced' })).statusCode).toBe(200);
    const t = json(await ctx.app.inject('/api/v1/tickets/TKT-1'));
    Ticket.parse(t);
    expect(t.planned).toBe(false);
    const actions = t.journal.map((e: { action: string }) => e.action);
    expect(actions[0]).toBe('created');
    const order = ['created', 'priority', 'escalated', 'switchover', 'acknowledged', 'note', 'resolved', 'closed'];
    let i = -1;
    for (const a of order) {
      const j = actions.indexOf(a, i + 1);
      expect(j, `${a} after index ${i} in ${actions.join(',')}`).toBeGreaterThan(i);
      i = j;
    }
    const byAction = (a: string) => t.journal.find((e: { action: string }) => e.action === a);
    expect(byAction('created')).toMatchObject({ by: 'ringguard', text: expect.stringMatching(/^P2, 1\d circuits/) });
    expect(byAction('priority')).toMatchObject({ by: 'ringguard', text: 'P2 → P1' });
    expect(byAction('escalated').text).toMatch(/^level 2 implementation/);
    expect(byAction('switchover')).toMatchObject({ by: 'eng-li', text: 'CKT-0001 → protection: forced at XT-A1' });
    expect(byAction('acknowledged')).toMatchObject({ by: 'noc-wang' });
    expect(byAction('closed')).toMatchObject({ by: 'noc-wang', text: 'spliced' });
    for (let k = 1; k < t.journal.length; k++) expect(t.journal[k].at >= t.journal[k - 1].at).toBe(true);
    // The other ticket's journal holds only its own story.
    expect(
      json(await ctx.app.inject('/api/v1/tickets/TKT-2')).journal.map((e: { action: string }) => e.action),
    ).toEqual(['created']);
  });

  it('a second ack answers 409 and keeps the first acknowledger', async () => {
    await twoFaults();
    expect(json(await post('/api/v1/tickets/TKT-2/ack', { by: 'noc-wang' }))).toMatchObject({
      state: 'acknowledged',
      ackBy: 'noc-wang',
    });
    const again = await post('/api/v1/tickets/TKT-2/ack', { by: 'noc-zhang' });
    expect(again.statusCode).toBe(409);
    expect(json(again).error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('noc-wang') });
    const t = json(await ctx.app.inject('/api/v1/tickets/TKT-2'));
    expect(t.ackBy).toBe('noc-wang');
    expect(t.journal.filter((e: { action: string }) => e.action === 'acknowledged')).toHaveLength(1);
  });

  it('notes: 201 appended; 400 naming the field; 404 for an unknown ticket; a note bumps the feed', async () => {
    await twoFaults();
    const before = json(await ctx.app.inject('/api/v1/tickets?since=0')).cursor;
    const r = await post('/api/v1/tickets/TKT-2/notes', { by: 'noc-li', text: '客户端 2M 头松动，已紧固' });
    expect(r.statusCode).toBe(201);
    const feed = json(await ctx.app.inject(`/api/v1/tickets?since=${before}`));
    expect(feed.items.map((t: { id: string }) => t.id)).toEqual(['TKT-2']);
    expect(feed.items[0].journal.at(-1)).toMatchObject({
      action: 'note',
      by: 'noc-li',
      text: '客户端 2M 头松动，已紧固',
    });
    for (const [body, field] of [
      [{ by: 'x' }, 'body.text'],
      [{ text: 'x' }, 'body.by'],
      [{ by: 'x', text: '   ' }, 'body.text'],
    ] as const) {
      const bad = await post('/api/v1/tickets/TKT-2/notes', body);
      expect(bad.statusCode).toBe(400);
      expect(json(bad).error.details[0].field).toBe(field);
    }
    expect((await post('/api/v1/tickets/TKT-99/notes', { by: 'x', text: 'y' })).statusCode).toBe(404);
  });

  it('survives a restart: the journal is read back and continues', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rg-journal-')), 'rg.db');
    let store = new Store(file);
    const h1 = new Harness().persistTo(store);
    h1.raise('XT-A2', '4-1:3', 'T_ALOS');
    h1.advance(3000);
    h1.command({ kind: 'ack', ticket: 'TKT-1', by: 'noc-wang' });
    h1.command({ kind: 'note', ticket: 'TKT-1', by: 'noc-wang', text: 'customer informed' });
    h1.command({ kind: 'ack-alarm', alarm: 'ALM-1', by: 'noc-wang' });
    h1.pipeline.close();
    store.close();

    store = new Store(file);
    const s = store.loadState();
    const h2 = new Harness(
      undefined,
      {},
      { ...s, tickets: s.tickets as StoredTicket[], ids: store.maxIds() },
      h1.now,
    ).persistTo(store);
    expect(store.getTicket('TKT-1')!.journal.map((e) => e.action)).toEqual(['created', 'acknowledged', 'note']);
    expect(h2.command({ kind: 'ack', ticket: 'TKT-1', by: 'noc-zhang' })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(h2.command({ kind: 'ack-alarm', alarm: 'ALM-1', by: 'noc-zhang' })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    h2.clear('XT-A2', '4-1:3', 'T_ALOS');
    const t = store.getTicket('TKT-1')!;
    expect(t.journal.map((e) => e.action)).toEqual(['created', 'acknowledged', 'note', 'resolved']);
    expect(t.journal[2]).toMatchObject({ by: 'noc-wang', text: 'customer informed' });
    expect(store.getAlarm('ALM-1')).toMatchObject({ ackBy: 'noc-wang', state: 'cleared' });
    h2.pipeline.close();
    store.close();
  });
});

describe('alarm acknowledgement', () => {
  it('200 with ackBy and ackAt, 409 a second time, 404 unknown, 400 without by; listed with the ack', async () => {
    await twoFaults();
    const r = await post('/api/v1/alarms/ALM-1/ack', { by: 'noc-wang' });
    expect(r.statusCode).toBe(200);
    const a = json(r);
    Alarm.parse(a);
    expect(a).toMatchObject({
      id: 'ALM-1',
      ackBy: 'noc-wang',
      ackAt: new Date(ctx.h.now).toISOString(),
      state: 'active',
    });
    const again = await post('/api/v1/alarms/ALM-1/ack', { by: 'noc-zhang' });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.message).toContain('noc-wang');
    expect((await post('/api/v1/alarms/ALM-99/ack', { by: 'x' })).statusCode).toBe(404);
    const bad = await post('/api/v1/alarms/ALM-2/ack', {});
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.details[0].field).toBe('body.by');
    const listed = json(await ctx.app.inject('/api/v1/alarms?node=XT-A1')).items[0];
    expect(listed).toMatchObject({ id: 'ALM-1', ackBy: 'noc-wang' });
    expect(json(await ctx.app.inject('/api/v1/alarms?node=XT-A2&type=LOS')).items[0]).toMatchObject({
      ackBy: null,
      ackAt: null,
    });
    // A later change of the alarm (its clear) keeps the acknowledgement.
    ctx.h.clear('XT-A1', '1-1', 'R_LOS');
    expect(json(await ctx.app.inject('/api/v1/alarms?node=XT-A1')).items[0]).toMatchObject({
      state: 'cleared',
      ackBy: 'noc-wang',
    });
  });
});

describe('roles and the audit log', () => {
  it.each([
    ['viewer', 'v-tok', 403],
    ['integration', 'i-tok', 200],
    ['operator', 'o-tok', 200],
    ['engineer', 'e-tok', 200],
  ] as const)('%s: alarm ack and notes', async (_role, token, want) => {
    await twoFaults(TOKENS);
    expect((await post('/api/v1/alarms/ALM-1/ack', { by: 'x' }, token)).statusCode).toBe(want);
    expect((await post('/api/v1/tickets/TKT-1/notes', { by: 'x', text: 'y' }, token)).statusCode).toBe(
      want === 200 ? 201 : want,
    );
    expect((await post('/api/v1/tickets/TKT-1/notes', { by: 'x', text: 'y' })).statusCode).toBe(401);
  });

  it('writes one audit line per human action: who, what, on what, from where, outcome', async () => {
    await twoFaults(TOKENS);
    await post('/api/v1/tickets/TKT-1/ack', { by: 'noc-wang' }, 'o-tok');
    await post('/api/v1/tickets/TKT-1/ack', { by: 'noc-zhang' }, 'o-tok');
    await post('/api/v1/tickets/TKT-1/notes', { by: 'noc-wang', text: 'called the customer' }, 'i-tok');
    await post('/api/v1/alarms/ALM-2/ack', { by: 'noc-wang' }, 'v-tok');
    await post('/api/v1/circuits/CKT-0001/switchover', { confirmedBy: 'eng-li' }, 'e-tok');
    await ctx.app.inject({ url: '/api/v1/tickets/TKT-1', headers: { authorization: 'Bearer v-tok' } }); // a read: no audit line
    expect(ctx.audit).toEqual([
      { audit: 'ticket.ack', target: 'TKT-1', by: 'noc-wang', role: 'operator', ip: '127.0.0.1', status: 200 },
      { audit: 'ticket.ack', target: 'TKT-1', by: 'noc-zhang', role: 'operator', ip: '127.0.0.1', status: 409 },
      { audit: 'ticket.note', target: 'TKT-1', by: 'noc-wang', role: 'integration', ip: '127.0.0.1', status: 201 },
      { audit: 'alarm.ack', target: 'ALM-2', by: null, role: null, ip: '127.0.0.1', status: 403 },
      { audit: 'circuit.switchover', target: 'CKT-0001', by: 'eng-li', role: 'engineer', ip: '127.0.0.1', status: 200 },
    ]);
  });
});

describe('ticket list', () => {
  it('filters by state, priority, kind, customer and time, newest first, with a cursor; the feed stays apart', async () => {
    await twoFaults();
    await post('/api/v1/tickets/TKT-2/ack', { by: 'noc' });
    const ids = async (qs: string) =>
      json(await ctx.app.inject(`/api/v1/tickets?${qs}`)).items.map((t: { id: string }) => t.id);
    expect(await ids('')).toEqual(['TKT-2', 'TKT-1']);
    expect(await ids('state=open')).toEqual(['TKT-1']);
    expect(await ids('state=acknowledged')).toEqual(['TKT-2']);
    expect(await ids('kind=span-cut')).toEqual(['TKT-1']);
    expect(await ids('kind=e1-tributary-fault&priority=P2')).toEqual(['TKT-2']);
    expect(await ids('priority=P1')).toEqual(['TKT-1']); // VIP circuits switch-failed after the timeout
    expect(await ids('priority=P3')).toEqual([]);
    const t2 = json(await ctx.app.inject('/api/v1/tickets/TKT-2'));
    expect(await ids(`customer=${encodeURIComponent(t2.customers[0])}`)).toEqual(['TKT-2']);
    expect(await ids('customer=nobody')).toEqual([]);
    expect(await ids(`from=${encodeURIComponent(t2.createdAt)}`)).toEqual(['TKT-2']);
    expect(await ids(`to=${encodeURIComponent(t2.createdAt)}`)).toEqual(['TKT-1']);
    expect(await ids('from=1970-01-01T08:00:00%2B08:00&to=1970-01-01T00:00:10Z')).toEqual(['TKT-1']);
    const p1 = json(await ctx.app.inject('/api/v1/tickets?limit=1'));
    expect(p1.items.map((t: { id: string }) => t.id)).toEqual(['TKT-2']);
    expect(typeof p1.cursor).toBe('string');
    const p2 = json(await ctx.app.inject(`/api/v1/tickets?limit=1&cursor=${p1.cursor}`));
    expect(p2).toMatchObject({ items: [{ id: 'TKT-1' }], cursor: null });
    for (const t of p1.items) Ticket.parse(t);
    // `since` is the feed: oldest change first, numeric cursor.
    const feed = json(await ctx.app.inject('/api/v1/tickets?since=0'));
    expect(feed.items.map((t: { id: string }) => t.id)).toEqual(['TKT-1', 'TKT-2']);
    expect(typeof feed.cursor).toBe('number');
    for (const [qs, field] of [
      ['state=new', 'querystring.state'],
      ['priority=P5', 'querystring.priority'],
      ['kind=cut', 'querystring.kind'],
      ['from=yesterday', 'querystring.from'],
      ['to=2026-13-01T00:00:00Z', 'querystring.to'],
      ['cursor=x', 'querystring.cursor'],
    ]) {
      const r = await ctx.app.inject(`/api/v1/tickets?${qs}`);
      expect(r.statusCode, qs).toBe(400);
      expect(json(r).error.details[0].field).toBe(field);
    }
  });

  it('exports tickets and alarms of a time range as CSV (Accept: text/csv)', async () => {
    await twoFaults();
    await post('/api/v1/tickets/TKT-1/notes', { by: 'x', text: 'y' });
    const r = await ctx.app.inject({
      url: '/api/v1/tickets?from=1970-01-01T00:00:00Z',
      headers: { accept: 'text/csv' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const rows = r.body
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toBe(
      'id,incidentId,kind,priority,state,planned,title,customers,affectedCircuits,escalationLevel,createdAt,updatedAt,ackBy,ackAt,resolvedAt,closedBy,closeNote',
    );
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/^TKT-2,INC-2,e1-tributary-fault,P2,open,false,/);
    expect(rows[2]).toMatch(/^TKT-1,INC-1,span-cut,P1,open,false,.*光缆中断/);
    const en = await ctx.app.inject({
      url: '/api/v1/tickets?kind=span-cut',
      headers: { accept: 'text/csv', 'accept-language': 'en' },
    });
    expect(en.body).toMatch(/Fibre cut on span S-A1-A2/);
    const third = json(await ctx.app.inject('/api/v1/alarms?limit=1')).items[0];
    expect(third.id).toBe('ALM-3');
    const a = await ctx.app.inject({
      url: `/api/v1/alarms?to=${encodeURIComponent(third.raisedAt)}`,
      headers: { accept: 'text/csv' },
    });
    const alarmRows = a.body
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(alarmRows[0]).toBe(
      'id,node,object,type,vendorName,severity,state,raisedAt,clearedAt,count,incidentId,suppressed,ackBy,ackAt',
    );
    expect(alarmRows.slice(1).map((l) => l.split(',')[0])).toEqual(['ALM-2', 'ALM-1']);
    // JSON stays the default.
    expect(json(await ctx.app.inject('/api/v1/alarms')).items).toHaveLength(3);
  });
});

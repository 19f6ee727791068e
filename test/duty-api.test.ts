// GET /api/v1/duty, GET /api/v1/tickets/:id/notifications and ticket `contacts` without a
// roster (the REST app through inject(), a real SQLite file); with a roster they are checked
// in the drill through the service (notify-drill.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { Ticket } from '../src/adapters/api/shapes.js';
import { apiHarness, type ApiHarness } from './helpers/api.js';
import { spanCut } from './helpers/notify.js';

let ctx: ApiHarness;
afterEach(async () => ctx?.close());

describe('on duty without a roster', () => {
  it('nobody on duty, tickets carry empty contacts, notifications listed per ticket (404 for an unknown one)', async () => {
    ctx = await apiHarness('viewer:v1');
    const auth = { authorization: 'Bearer v1' };
    expect((await ctx.app.inject({ url: '/api/v1/duty' })).statusCode).toBe(401);
    const duty = (await ctx.app.inject({ url: '/api/v1/duty', headers: auth })).json();
    expect(duty).toMatchObject({
      roster: false,
      groups: {
        duty: { level: 1, people: [] },
        implementation: { level: 2, people: [] },
        leadership: { level: 3, people: [] },
      },
    });
    spanCut(ctx.h);
    ctx.h.advance(3000);
    const t = (await ctx.app.inject({ url: '/api/v1/tickets/TKT-1', headers: auth })).json();
    expect(t.contacts).toEqual([]);
    expect(Ticket.safeParse(t).success).toBe(true);
    const feed = (await ctx.app.inject({ url: '/api/v1/tickets?since=0', headers: auth })).json();
    expect(feed.items.every((x: { contacts: unknown[] }) => Array.isArray(x.contacts))).toBe(true);
    expect((await ctx.app.inject({ url: '/api/v1/tickets/TKT-1/notifications', headers: auth })).json()).toEqual({
      items: [],
    });
    const missing = await ctx.app.inject({ url: '/api/v1/tickets/TKT-404/notifications', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'NOT_FOUND', message: 'ticket "TKT-404" does not exist' });
  });
});

// Whom to tell, and when: the pure notifier on the real pipeline (virtual time). A drill's
// timeline of messages, reminders, planned tickets, routing, and a 500-ring storm as one digest.
import { describe, expect, it } from 'vitest';
import { NotifyConfigSchema, routesOf, type Route } from '../src/core/notify/config.js';
import { compose } from '../src/core/notify/message.js';
import { Notifier, type NotifierStep, type Pending } from '../src/core/notify/notifier.js';
import { route } from '../src/core/notify/routing.js';
import { whomToTell } from '../src/core/notify/whom.js';
import type { StoredTicket } from '../src/core/tickets/engine.js';
import { TopologyGraph } from '../src/core/topology/graph.js';
import { parseTopology } from '../src/core/topology/validate.js';
import { Harness } from './helpers/harness.js';
import { drill, spanCut } from './helpers/notify.js';

type Sent = { at: number; receiver: string; event: string; tickets: string[]; level: number };

/** The notifier beside a Harness pipeline, as the service runs it; records every message composed. */
function notified(h: Harness, routes: Route[], o: { groupWaitMs?: number; reminderMs?: number } = {}) {
  const n = new Notifier<StoredTicket>({ routes, groupWaitMs: o.groupWaitMs ?? 10_000, reminderMs: o.reminderMs ?? 0 });
  const held: Array<Pending<StoredTicket>> = [];
  const sent: Sent[] = [];
  const take = (step: NotifierStep<StoredTicket>, now: number) => {
    held.push(...step.pending);
    for (const r of step.closed) {
      const mine = held.filter((p) => p.receiver === r && p.due <= now);
      for (const p of mine) held.splice(held.indexOf(p), 1);
      const m = compose(mine);
      sent.push({ at: now, receiver: r, event: m.event, tickets: m.tickets.map((t) => t.id), level: m.level });
    }
  };
  h.pipeline.output$.subscribe((out) =>
    take(
      n.onTickets(
        out.tickets.map((t) => ({ ...t })),
        out.at,
      ),
      out.at,
    ),
  );
  /** Advances the pipeline and the notifier together, second by second. */
  const run = (ms: number) => {
    const end = h.now + ms;
    while (h.now < end) {
      h.advance(Math.min(1000, end - h.now));
      take(n.tick(h.now), h.now);
    }
  };
  return { n, sent, held, run };
}

const BY_LEVEL: Route[] = [
  { match: { level: [1] }, receivers: ['duty-wecom'] },
  { match: { level: [2, 3] }, receivers: ['impl-ding'] },
];

describe('a span-cut drill, message by message', () => {
  it('duty is told once; implementation on escalation; nothing after ack; both get the recovery', () => {
    const h = new Harness(undefined, { escalateAfterMs: 60_000 });
    const { sent, run } = notified(h, BY_LEVEL);
    drill(h, 'span-cut');
    run(30_000);
    const t = [...h.tickets.values()][0];
    expect(t).toMatchObject({ id: 'TKT-1', priority: 'P2', escalation: { level: 1 } });
    expect(sent).toEqual([{ at: 13_000, receiver: 'duty-wecom', event: 'opened', tickets: ['TKT-1'], level: 1 }]);

    run(60_000); // not acknowledged in time: level 2, the implementation group is told
    expect(h.tickets.get('TKT-1')!.escalation.level).toBe(2);
    expect(sent.slice(1)).toEqual([
      { at: 73_000, receiver: 'impl-ding', event: 'escalated', tickets: ['TKT-1'], level: 2 },
    ]);

    h.command({ kind: 'ack', ticket: 'TKT-1', by: 'noc-wang' });
    run(300_000); // acknowledged: no further escalation, nothing sent
    expect(h.tickets.get('TKT-1')!.escalation.level).toBe(2);
    expect(sent).toHaveLength(2);

    drill(h, 'span-cut', 'clear'); // repaired
    run(20_000);
    expect(h.tickets.get('TKT-1')!.state).toBe('resolved');
    expect(sent.slice(2).map((s) => [s.receiver, s.event, s.tickets])).toEqual([
      ['duty-wecom', 'resolved', ['TKT-1']],
      ['impl-ding', 'resolved', ['TKT-1']],
    ]);
    run(600_000);
    expect(sent).toHaveLength(4);
  });

  it('an unacknowledged P1 is repeated every reminder interval until acknowledged', () => {
    const h = new Harness();
    const { sent, run } = notified(h, [{ match: { priority: ['P1', 'P2', 'P3'] }, receivers: ['noc'] }], {
      groupWaitMs: 0,
      reminderMs: 60_000,
    });
    spanCut(h); // no protection switch: P2 at first, P1 when the VIP circuits fail to switch
    run(20_000);
    expect(h.tickets.get('TKT-1')!.priority).toBe('P1');
    expect(sent.map((s) => [s.at, s.event])).toEqual([
      [3000, 'opened'],
      [13_000, 'escalated'],
    ]);
    run(130_000);
    expect(sent.slice(2).map((s) => [s.at, s.event])).toEqual([
      [73_000, 'reminder'],
      [133_000, 'reminder'],
    ]);
    h.command({ kind: 'ack', ticket: 'TKT-1', by: 'noc-li' });
    run(300_000);
    expect(sent).toHaveLength(4);
  });
});

describe('whom to tell', () => {
  const ticket = (over: Partial<StoredTicket> & { planned?: boolean } = {}) =>
    ({
      id: 'TKT-9',
      priority: 'P2',
      kind: 'span-cut',
      state: 'open',
      customers: ['Xiangtan Steel'],
      escalation: { level: 1, group: 'duty', reason: '' },
      ...over,
    }) as StoredTicket & { planned?: boolean };
  const routes: Route[] = [{ match: { priority: ['P1', 'P2', 'P3'] }, receivers: ['noc'] }];

  it('a planned ticket is never sent; when the window ends with the fault still there, it is', () => {
    const a = whomToTell(undefined, ticket({ planned: true }), routes);
    expect(a.tells).toEqual([]);
    const b = whomToTell(
      a.memory,
      ticket({ planned: true, escalation: { level: 2, group: 'implementation', reason: '' } }),
      routes,
    );
    expect(b.tells).toEqual([]);
    const c = whomToTell(
      b.memory,
      ticket({ planned: false, escalation: { level: 2, group: 'implementation', reason: '' } }),
      routes,
    );
    expect(c.tells).toEqual([{ receiver: 'noc', event: 'opened' }]);
    const d = whomToTell(
      whomToTell(undefined, ticket({ planned: true }), routes).memory,
      ticket({ planned: true, state: 'resolved' }),
      routes,
    );
    expect(d.tells).toEqual([]);
  });

  it('a P4 pages nobody by default; when it becomes P2 the receivers get it as new; a reopened ticket is new again', () => {
    const def = routesOf(
      NotifyConfigSchema.parse({ receivers: [{ name: 'noc', type: 'webhook', url: 'http://127.0.0.1:1/' }] }),
    );
    const a = whomToTell(undefined, ticket({ priority: 'P4' }), def);
    expect(a.tells).toEqual([]);
    const b = whomToTell(a.memory, ticket({ priority: 'P2' }), def);
    expect(b.tells).toEqual([{ receiver: 'noc', event: 'opened' }]);
    const c = whomToTell(b.memory, ticket({ priority: 'P2', state: 'acknowledged' }), def);
    expect(c.tells).toEqual([]);
    const d = whomToTell(c.memory, ticket({ state: 'resolved' }), def);
    expect(d.tells).toEqual([{ receiver: 'noc', event: 'resolved' }]);
    const e = whomToTell(d.memory, ticket({ state: 'open' }), def);
    expect(e.tells).toEqual([{ receiver: 'noc', event: 'opened' }]);
  });

  it('routes: first match wins; match by priority, kind, level, customer and planned', () => {
    const rs: Route[] = [
      { match: { customer: ['Xiangtan Steel'], priority: ['P1'] }, receivers: ['vip-desk'] },
      { match: { kind: ['site-power-failure'] }, receivers: ['power'] },
      { match: { level: [3] }, receivers: ['leaders'] },
      { match: { planned: false, priority: ['P1', 'P2', 'P3'] }, receivers: ['noc'] },
    ];
    expect(route(rs, ticket({ priority: 'P1' }))).toEqual(['vip-desk']);
    expect(route(rs, ticket({ priority: 'P1', customers: ['Other'] }))).toEqual(['noc']);
    expect(route(rs, ticket({ kind: 'site-power-failure' }))).toEqual(['power']);
    expect(route(rs, ticket({ escalation: { level: 3, group: 'leadership', reason: '' } }))).toEqual(['leaders']);
    expect(route(rs, ticket({ priority: 'P4' }))).toEqual([]);
    expect(route(rs, ticket({ planned: true, priority: 'P1' }))).toEqual([]);
  });

  it('a config naming an unknown receiver, or a receiver twice, is rejected with the path', () => {
    const bad = NotifyConfigSchema.safeParse({
      receivers: [
        { name: 'a', type: 'webhook', url: 'http://127.0.0.1/' },
        { name: 'a', type: 'wecom', key: 'k' },
      ],
      routes: [{ match: { priority: ['P1'] }, receivers: ['b'] }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['receivers.1.name', 'duplicate receiver "a"'],
      ['routes.0.receivers.0', 'receiver "b" is not in notify.receivers'],
    ]);
  });
});

describe('storm', () => {
  it('500 ring cuts at once: one digest per receiver, not 500 messages', async () => {
    const { generateScale } = await import(new URL('../scripts/gen-scale.mjs', import.meta.url).pathname);
    const r = parseTopology(generateScale({ rings: 500, ringSize: 10, circuits: 10_000 }));
    if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
    const h = new Harness(new TopologyGraph(r.topology));
    const { sent, run } = notified(h, [{ match: {}, receivers: ['noc-hook', 'duty-wecom', 'duty-mail'] }]);
    drill(h, 'storm');
    run(15_000);
    expect(h.tickets.size).toBe(500);
    expect(sent.map((s) => [s.receiver, s.event, s.tickets.length])).toEqual([
      ['noc-hook', 'digest', 500],
      ['duty-wecom', 'digest', 500],
      ['duty-mail', 'digest', 500],
    ]);
  }, 60_000);
});

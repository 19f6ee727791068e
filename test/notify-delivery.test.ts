// Notifications delivered to real local receivers: an HTTP server standing in for the webhook,
// WeCom, DingTalk and SMS endpoints, and a real SMTP server. Content, signatures, retries after
// 500, delivery after a restart with a full outbox (exactly once), and a storm as one digest.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { Store } from '../src/adapters/store/sqlite.js';
import type { NotifyHub } from '../src/adapters/notify/hub.js';
import { Harness } from './helpers/harness.js';
import { HttpReceiver, SmtpReceiver } from './helpers/receivers.js';
import { makeHub, spanCut, tmpDb, wire } from './helpers/notify.js';
import { waitFor, sleep } from './helpers/env.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
const track = <T extends { stop(): unknown }>(x: T): T => (cleanup.push(() => x.stop()), x);
const hmac = (secret: string, raw: string) => createHmac('sha256', secret).update(raw).digest('hex');

function storeOf(file: string): Store {
  const s = new Store(file);
  cleanup.push(() => s.close());
  return s;
}
function hubOf(store: Store, notify: unknown, opts: Parameters<typeof makeHub>[2] = {}): NotifyHub {
  const hub = makeHub(store, notify, opts);
  cleanup.push(() => hub.stop());
  return hub;
}

describe('channels', () => {
  it('a span cut reaches the webhook (signed), WeCom, DingTalk (signed secret), email (STARTTLS, auth) and SMS once each, in zh-CN', async () => {
    const web = track(await new HttpReceiver().start());
    const smtp = track(await new SmtpReceiver().start());
    const store = storeOf(tmpDb());
    const hub = hubOf(store, {
      groupWaitMs: 50,
      receivers: [
        { name: 'noc-hook', type: 'webhook', url: web.url('/hook'), secret: 's3cr3t' },
        { name: 'duty-wecom', type: 'wecom', url: web.url('/wecom?key=k1') },
        { name: 'duty-ding', type: 'dingtalk', url: web.url('/ding?access_token=t1'), secret: 'SECdemo' },
        {
          name: 'duty-mail',
          type: 'email',
          host: '127.0.0.1',
          port: smtp.port,
          user: smtp.user,
          pass: smtp.pass,
          from: 'ringguard@noc.example',
          tlsRejectUnauthorized: false,
          to: ['noc@noc.example'],
        },
        {
          name: 'duty-sms',
          type: 'sms',
          url: web.url('/sms'),
          body: { mobile: '{{phone}}', content: '{{text}}', ref: '{{id}}' },
        },
      ],
    });
    const h = new Harness();
    wire(h, store, hub);
    spanCut(h);
    h.advance(3000);
    await waitFor(() => web.got.length >= 4 && smtp.got.length >= 1, 10_000, 'all five channels');
    await sleep(300);
    const by = (p: string) => web.got.filter((g) => g.url.startsWith(p));

    // Webhook: the contract's payload, signed over the raw body.
    expect(by('/hook')).toHaveLength(1);
    const hook = by('/hook')[0];
    expect(hook.headers['x-ringguard-signature']).toBe(`sha256=${hmac('s3cr3t', hook.raw)}`);
    expect(Object.keys(hook.json).sort()).toEqual(['event', 'group', 'id', 'level', 'text', 'tickets']);
    expect(hook.json).toMatchObject({ event: 'opened', level: 1, group: 'duty' });
    expect(hook.json.tickets).toHaveLength(1);
    const t = hook.json.tickets[0];
    expect(t).toMatchObject({ id: 'TKT-1', kind: 'span-cut', priority: 'P2', escalation: { level: 1, group: 'duty' } });
    expect(t.contacts.map((c: { id: string }) => c.id)).toEqual(['noc-wang']);
    expect(hook.json.text).toContain('【P2 新工单】TKT-1 光缆中断：段 S-A6-A1');
    expect(hook.json.text).toMatch(/影响：\d+ 条专线/);
    expect(hook.json.text).toContain('1. 24 小时值班确认告警');
    expect(hook.json.text).toContain('值班人员：王伟 13800000001');
    expect(hook.json.text).toContain('详情：http://noc.example:8080/?ticket=TKT-1');

    // WeCom robot: markdown, the person on duty mentioned by WeCom id.
    const wc = by('/wecom');
    expect(wc).toHaveLength(1);
    expect(wc[0].json.msgtype).toBe('markdown');
    expect(wc[0].json.markdown.content).toMatch(/^\*\*【P2 新工单】TKT-1/);
    expect(wc[0].json.markdown.content).toContain('<@WangWei>');

    // DingTalk robot: signed with the secret, markdown, @ by mobile.
    const dd = by('/ding');
    expect(dd).toHaveLength(1);
    const u = new URL(dd[0].url, 'http://x');
    const ts = u.searchParams.get('timestamp')!;
    expect(u.searchParams.get('access_token')).toBe('t1');
    expect(u.searchParams.get('sign')).toBe(createHmac('sha256', 'SECdemo').update(`${ts}\nSECdemo`).digest('base64'));
    expect(dd[0].json).toMatchObject({ msgtype: 'markdown', at: { atMobiles: ['13800000001'], isAtAll: false } });
    expect(dd[0].json.markdown.text).toContain('@13800000001');

    // SMS gateway: one request per phone of the people on duty, template filled.
    const sms = by('/sms');
    expect(sms).toHaveLength(1);
    expect(sms[0].json).toMatchObject({ mobile: '13800000001', ref: expect.any(String) });
    expect(sms[0].json.content).toContain('TKT-1');

    // Email: over STARTTLS, authenticated, to the fixed address and the person on duty.
    expect(smtp.got).toHaveLength(1);
    const mail = smtp.got[0];
    expect(mail).toMatchObject({ secure: true, user: 'ringguard', from: 'ringguard@noc.example' });
    expect(mail.to.sort()).toEqual(['noc@noc.example', 'wang.wei@noc.example']);
    expect(mail.raw).toMatch(/X-Ringguard-Event: opened/i);

    // Every message has its own idempotency key; attempts are listed per ticket.
    const attempts = store.outbox.ofTicket('TKT-1');
    expect(attempts.map((a) => a.receiver).sort()).toEqual([
      'duty-ding',
      'duty-mail',
      'duty-sms',
      'duty-wecom',
      'noc-hook',
    ]);
    expect(attempts.every((a) => a.outcome === 'sent' && a.attempt === 1 && a.event === 'opened')).toBe(true);
    expect(new Set(attempts.map((a) => a.notification)).size).toBe(5);
    const key = (r: string) => attempts.find((a) => a.receiver === r)!.notification;
    expect(hook.json.id).toBe(key('noc-hook'));
    expect(sms[0].json.ref).toBe(key('duty-sms'));
    expect(mail.raw.toLowerCase()).toContain(`x-ringguard-id: ${key('duty-mail')}`);
  });
});

describe('never lost', () => {
  it('a receiver answering 500 is retried with exponential backoff until it takes the message; the others are not held up', async () => {
    const bad = track(await new HttpReceiver().start());
    const good = track(await new HttpReceiver().start());
    bad.script.push(500, 500, 503);
    const store = storeOf(tmpDb());
    const registry = new Registry();
    const settled: Array<[string[], string]> = [];
    const hub = hubOf(
      store,
      {
        groupWaitMs: 0,
        retry: { initialMs: 150, maxMs: 5000 },
        receivers: [
          { name: 'flaky', type: 'webhook', url: bad.url(), secret: 'x' },
          { name: 'steady', type: 'webhook', url: good.url() },
        ],
      },
      { registry, onSettled: (tickets, text) => settled.push([tickets, text]) },
    );
    const h = new Harness();
    wire(h, store, hub);
    spanCut(h);
    h.advance(3000);
    await waitFor(() => good.got.length === 1, 5000, 'steady receiver');
    expect(bad.got.length).toBeLessThanOrEqual(1); // the steady one did not wait for the flaky one's retries
    await waitFor(() => bad.got.length === 4, 10_000, 'flaky receiver: 3 failures then success');
    await sleep(200);
    expect(bad.got).toHaveLength(4);
    // The same message (same idempotency key and body) each time, at growing intervals.
    expect(new Set(bad.got.map((g) => g.json.id)).size).toBe(1);
    expect(new Set(bad.got.map((g) => g.raw)).size).toBe(1);
    const gaps = bad.got.slice(1).map((g, i) => g.at - bad.got[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(140);
    expect(gaps[1]).toBeGreaterThanOrEqual(290);
    expect(gaps[2]).toBeGreaterThanOrEqual(590);
    const attempts = store.outbox.ofTicket('TKT-1').filter((a) => a.receiver === 'flaky');
    expect(attempts.map((a) => [a.attempt, a.outcome, a.status])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'failed', 503],
      [4, 'sent', 200],
    ]);
    const metrics = await registry.getSingleMetricAsString('ringguard_notifications_total');
    expect(metrics).toContain('ringguard_notifications_total{channel="webhook",outcome="failed"} 3');
    expect(metrics).toContain('ringguard_notifications_total{channel="webhook",outcome="sent"} 2');
    // Each delivery is reported once, for the ticket's journal; failed attempts are not.
    expect(settled).toEqual([
      [['TKT-1'], 'opened → steady (webhook)'],
      [['TKT-1'], 'opened → flaky (webhook)'],
    ]);
  });

  it('a restart with a full outbox delivers every message exactly once, with the same idempotency key', async () => {
    const file = tmpDb();
    const rx = new HttpReceiver();
    rx.status = 500; // down for now
    track(await rx.start());
    const cfg = {
      groupWaitMs: 0,
      retry: { initialMs: 60_000 },
      receivers: [{ name: 'noc-hook', type: 'webhook', url: rx.url(), secret: 's' }],
    };

    // First life: three faults, three tickets; the receiver fails the first attempt of each.
    const s1 = new Store(file);
    const hub1 = makeHub(s1, cfg);
    const h1 = new Harness().persistTo(s1);
    h1.pipeline.output$.subscribe((o) => {
      s1.writeBatch({ notify: hub1.decide(o.tickets) });
      hub1.afterWrite();
    });
    spanCut(h1);
    h1.advance(3000);
    h1.raise('XT-A3', '11-1', 'R_LOS');
    h1.advance(3000);
    h1.raise('XT-A5', '11-1', 'R_LOS');
    h1.advance(3000);
    expect([...h1.tickets.values()].map((t) => t.priority)).not.toContain('P4');
    await waitFor(() => rx.got.length >= 1, 5000, 'first attempts');
    await sleep(300);
    const firstIds = new Set(rx.got.map((g) => g.json.id));
    await hub1.stop();
    h1.pipeline.close();
    s1.close();
    const queued = new Store(file);
    const pending = queued.db.prepare(`SELECT COUNT(*) c FROM notify_messages WHERE state = 'pending'`).get() as {
      c: number;
    };
    queued.close();
    expect(pending.c).toBeGreaterThanOrEqual(3);

    // Second life: the receiver is back; the outbox is delivered at once, each message once.
    rx.status = 200;
    rx.got.length = 0;
    const s2 = storeOf(file);
    const hub2 = hubOf(s2, { ...cfg, retry: { initialMs: 10 } });
    hub2.restore(s2.loadState().tickets as never);
    s2.db.prepare(`UPDATE notify_messages SET next_at = 0`).run(); // their backoff has passed
    hub2.start();
    await waitFor(() => rx.got.length >= pending.c, 5000, 'redelivery');
    await sleep(500);
    expect(rx.got).toHaveLength(pending.c);
    const ids = rx.got.map((g) => g.json.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of firstIds) expect(ids).toContain(id);
    expect(rx.got.map((g) => g.json.tickets[0].id).sort()).toEqual(['TKT-1', 'TKT-2', 'TKT-3']);
  });
});

describe('group window across a restart', () => {
  it('tells waiting in an open window when the service stops go out after the restart, once, when the window ends', async () => {
    const file = tmpDb();
    const rx = track(await new HttpReceiver().start());
    const cfg = { groupWaitMs: 1500, receivers: [{ name: 'noc-hook', type: 'webhook', url: rx.url() }] };
    const s1 = new Store(file);
    const hub1 = makeHub(s1, cfg);
    const h1 = new Harness().persistTo(s1);
    h1.pipeline.output$.subscribe((o) => {
      s1.writeBatch({ notify: hub1.decide(o.tickets) });
      hub1.afterWrite();
    });
    spanCut(h1);
    h1.advance(3000);
    const opened = Date.now();
    await hub1.stop(); // stopped inside the window: nothing sent yet
    h1.pipeline.close();
    s1.close();
    expect(rx.got).toHaveLength(0);

    const s2 = storeOf(file);
    const hub2 = hubOf(s2, cfg);
    hub2.restore(s2.loadState().tickets as never);
    hub2.start();
    await waitFor(() => rx.got.length === 1, 5000, 'the window closed after the restart');
    expect(rx.got[0].at - opened).toBeGreaterThanOrEqual(1400);
    expect(rx.got[0].json).toMatchObject({ event: 'opened', tickets: [{ id: 'TKT-1' }] });
    await sleep(500);
    expect(rx.got).toHaveLength(1);
  });
});

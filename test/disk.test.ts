// A busy or full database must not stop intake or lose work: writes are retried with backoff,
// health says degraded meanwhile, and everything is written once the disk recovers.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { TrapSender } from '../src/adapters/snmp/sender.js';
import { resolveConfig } from '../src/cli/config.js';
import { startService, type Service } from '../src/service.js';
import { DEMO } from './helpers/harness.js';
import { freeTcpPort, freeUdpPort, sleep, waitFor } from './helpers/env.js';

let svc: Service | undefined;
afterEach(async () => {
  await svc?.stop();
  svc = undefined;
});

async function start(
  db = join(mkdtempSync(join(tmpdir(), 'rg-disk-')), 'rg.db'),
): Promise<{ svc: Service; db: string }> {
  const cfg = resolveConfig(
    {
      db,
      httpPort: String(await freeTcpPort()),
      trapPort: String(await freeUdpPort()),
      holdDownMs: '200',
      pollIntervalMs: '3600000',
      switchTimeoutMs: '300',
      topology: DEMO,
    },
    {},
  );
  svc = await startService(cfg, pino({ level: 'silent' }), {});
  return { svc, db };
}

const get = async (s: Service, path: string) => {
  const t0 = performance.now();
  const body = (await (await fetch(`http://127.0.0.1:${s.httpPort}${path}`)).json()) as any;
  return { body, ms: performance.now() - t0 };
};

async function sendAlarms(s: Service, from: number, count: number): Promise<void> {
  const t = new TrapSender({ host: '127.0.0.1', port: s.trapPort, community: 'public' });
  for (let i = from; i < from + count; i++)
    await t.notify({
      kind: 'raise',
      node: 'XT-A1',
      object: `9-${i}`,
      alarmName: 'R_LOS',
      eventTime: Date.now(),
      serial: i,
      text: 'x'.repeat(400),
    });
  t.close();
}

const post = async (s: Service, path: string, body: object) => {
  const r = await fetch(`http://127.0.0.1:${s.httpPort}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as any };
};

const stored = (s: Service) => (s.store.db.prepare(`SELECT COUNT(*) c FROM alarms`).get() as { c: number }).c;

describe('disk trouble', () => {
  it('another connection holds the write lock: intake and REST go on, health is degraded, everything is written after', async () => {
    const { svc: s, db } = await start();
    const other = new Database(db);
    other.exec('BEGIN IMMEDIATE');
    other.prepare('CREATE TABLE IF NOT EXISTS lock_holder (x)').run();
    try {
      await sendAlarms(s, 1, 50);
      await waitFor(async () => (await get(s, '/api/v1/health')).body.status === 'degraded', 5000, 'health degraded');
      const h = await get(s, '/api/v1/health');
      expect(h.body.checks.store).toMatchObject({ status: 'degraded' });
      expect(h.ms).toBeLessThan(1000);
      await waitFor(
        () => s.pipeline.ledger.activeOfNode('XT-A1').length === 50,
        5000,
        'intake not blocked: all 50 correlated',
      );
      await sleep(1000);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await waitFor(() => stored(s) === 50, 10_000, 'all 50 alarms written after the lock');
    await waitFor(async () => (await get(s, '/api/v1/health')).body.status === 'ok', 10_000, 'health ok again');
  }, 30_000);

  it('a full disk (max_page_count): retried, bounded, written once there is room', async () => {
    const { svc: s } = await start();
    await sendAlarms(s, 1, 5);
    await waitFor(() => stored(s) === 5, 5000, 'first alarms');
    const pages = s.store.db.pragma('page_count', { simple: true }) as number;
    s.store.db.pragma(`max_page_count = ${pages}`);
    await sendAlarms(s, 100, 300);
    await waitFor(
      async () => (await get(s, '/api/v1/health')).body.checks.store?.status === 'degraded',
      5000,
      'health degraded',
    );
    expect((await get(s, '/api/v1/health')).body.checks.store.error).toMatch(/full/i);
    await waitFor(
      () => s.pipeline.ledger.activeOfNode('XT-A1').length === 305,
      5000,
      'intake not blocked: all 305 correlated',
    );
    expect(stored(s)).toBeLessThan(305);
    s.store.db.pragma('max_page_count = 1073741823');
    await waitFor(() => stored(s) === 305, 10_000, 'all alarms written once there is room');
    await waitFor(async () => (await get(s, '/api/v1/health')).body.status === 'ok', 10_000, 'health ok again');
  }, 30_000);

  it("a person's ack, close and switchover while the disk is full are refused with 503, nothing changed; stored once the disk is back", async () => {
    const { svc: s0, db } = await start();
    let s = s0;
    const t0 = performance.now();
    const mark = (what: string) =>
      console.log(`disk/commands: ${what} at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // S-A1-A2 cut, no protection switch: a ticket, and CKT-0001 waiting for a switchover.
    const t = new TrapSender({ host: '127.0.0.1', port: s.trapPort, community: 'public' });
    for (const [node, object, alarmName] of [
      ['XT-A1', '1-1', 'R_LOS'],
      ['XT-A2', '2-1', 'R_LOS'],
      ['XT-A3', '4-1:1', 'TU_AIS'],
    ])
      await t.notify({ kind: 'raise', node, object, alarmName, eventTime: Date.now(), serial: 1 });
    t.close();
    const ticket = await waitFor(async () => (await get(s, '/api/v1/tickets')).body.items[0], 10_000, 'a ticket');
    const circuit = await waitFor(
      async () => (await get(s, '/api/v1/circuits?state=switch-required')).body.items[0],
      10_000,
      'a circuit waiting for a switchover',
    );
    mark('ticket and circuit');
    const pages = s.store.db.pragma('page_count', { simple: true }) as number;
    s.store.db.pragma(`max_page_count = ${pages}`);
    await sendAlarms(s, 100, 200);
    await waitFor(async () => (await get(s, '/api/v1/health')).body.status === 'degraded', 5000, 'health degraded');

    mark('disk full');
    const ack = await post(s, `/api/v1/tickets/${ticket.id}/ack`, { by: 'noc-zhang' });
    expect(ack.status).toBe(503);
    expect(ack.body.error.code).toBe('UNAVAILABLE');
    expect(ack.body.error.message).toMatch(/cannot be written .*full.*nothing was changed/i);
    expect((await post(s, `/api/v1/tickets/${ticket.id}/close`, { by: 'noc-zhang' })).status).toBe(503);
    const sw = await post(s, `/api/v1/circuits/${circuit.id}/switchover`, { confirmedBy: 'eng-li' });
    expect(sw.status).toBe(503);
    // Nothing changed in memory either: what a NOC sees is what the database will hold.
    expect((await get(s, `/api/v1/tickets/${ticket.id}`)).body.state).toBe(ticket.state);
    expect((await get(s, `/api/v1/circuits/${circuit.id}`)).body.state).toBe('switch-required');

    s.store.db.pragma('max_page_count = 1073741823');
    await waitFor(async () => (await get(s, '/api/v1/health')).body.status === 'ok', 10_000, 'health ok again');
    expect((await post(s, `/api/v1/tickets/${ticket.id}/ack`, { by: 'noc-zhang' })).status).toBe(200);
    expect((await post(s, `/api/v1/circuits/${circuit.id}/switchover`, { confirmedBy: 'eng-li' })).status).toBe(200);
    // Stored, not only held: a restart on the same database has both.
    await s.stop();
    svc = undefined;
    s = (await start(db)).svc;
    expect((await get(s, `/api/v1/tickets/${ticket.id}`)).body.state).toBe('acknowledged');
    expect((await get(s, `/api/v1/circuits/${circuit.id}`)).body.state).not.toBe('switch-required');
  }, 120_000);
});

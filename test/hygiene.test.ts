// Start-up and input hygiene: unbindable trap address, foreign or newer databases, decimal-only
// numbers, names and notes without control characters, fastify's own errors in the contract's
// shape, a database only its owner reads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../src/adapters/store/sqlite.js';
import { apiHarness, type ApiHarness } from './helpers/api.js';

const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rg-hygiene-'));

describe('start-up', () => {
  it('an address the trap socket cannot bind stops the start with one line and exit 1', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src/cli/index.ts'),
        'serve',
        '--db',
        join(dir, 'a.db'),
        '--trap-host',
        '999.1.1.1',
        '--http-port',
        '0',
        '--trap-port',
        '0',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ringguard: cannot start: .*999\.1\.1\.1/)]);
  });

  it('bad API tokens and a bad mappings file are bad configuration: one line, exit 2', () => {
    const serve = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'src/cli/index.ts'),
          'serve',
          '--db',
          join(dir, 'c.db'),
          '--http-port',
          '0',
          '--trap-port',
          '0',
          ...args,
        ],
        { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } },
      );
    const tokens = serve([], { RINGGUARD_API_TOKENS: 'admin:x' });
    expect(tokens.status).toBe(2);
    expect(tokens.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ringguard: RINGGUARD_API_TOKENS: /)]);
    const rules = join(dir, 'bad-rules.yaml');
    writeFileSync(rules, 'rules: [{ name: x }]\n');
    const mappings = serve(['--mappings', rules]);
    expect(mappings.status).toBe(2);
    expect(mappings.stderr.trim().split('\n')).toEqual([expect.stringMatching(/bad-rules\.yaml: rules\[0\]/)]);
  });

  it("refuses a database of a newer schema, another program's SQLite file and a non-database; creates the file 0600", () => {
    const newer = join(dir, 'newer.db');
    const d = new Database(newer);
    d.pragma('user_version = 999');
    d.close();
    expect(() => new Store(newer)).toThrow(/schema version 999 is newer/);
    const foreign = join(dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE invoices (n)');
    f.close();
    expect(() => new Store(foreign)).toThrow(/not a ringguard database/);
    const fresh = join(dir, 'sub', 'rg.db');
    const s = new Store(fresh);
    s.close();
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
  });
});

describe('REST input', () => {
  let ctx: ApiHarness;
  afterAll(() => ctx?.close());
  const post = (url: string, body: unknown) => ctx.app.inject({ method: 'POST', url, payload: body as object });

  it('numbers are decimal only', async () => {
    ctx = await apiHarness();
    for (const v of ['0x10', '1e2', '+5', '1.0', ' 7']) {
      const r = await ctx.app.inject(`/api/v1/alarms?limit=${encodeURIComponent(v)}`);
      expect(r.statusCode, v).toBe(400);
      expect(r.json().error.details[0].field).toBe('querystring.limit');
    }
    expect((await ctx.app.inject('/api/v1/alarms?limit=10')).statusCode).toBe(200);
    expect((await ctx.app.inject('/api/v1/tickets?since=0x1')).statusCode).toBe(400);
  });

  it('names and notes have length limits and no control characters', async () => {
    for (const [url, body, field] of [
      ['/api/v1/tickets/TKT-1/ack', { by: 'noc\u0000wang' }, 'body.by'],
      ['/api/v1/tickets/TKT-1/ack', { by: 'x'.repeat(129) }, 'body.by'],
      ['/api/v1/tickets/TKT-1/close', { by: 'noc', note: 'a\u001bb' }, 'body.note'],
      ['/api/v1/tickets/TKT-1/close', { by: 'noc', note: 'x'.repeat(2001) }, 'body.note'],
      ['/api/v1/circuits/CKT-0001/switchover', { confirmedBy: 'eng\nli' }, 'body.confirmedBy'],
    ] as const) {
      const r = await post(url, body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(r.json().error.details[0].field).toBe(field);
    }
    // A note may have line breaks.
    expect((await post('/api/v1/tickets/TKT-404/close', { by: 'noc', note: 'line 1\nline 2' })).statusCode).toBe(404);
  });

  it("fastify's own errors come in the contract's error shape", async () => {
    const bad = await ctx.app.inject('/api/v1/alarms/%E0%A4%A');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('BAD_REQUEST');
    // A path parameter beyond 200 characters: 400, same shape.
    const long = await ctx.app.inject(`/api/v1/tickets/${'T'.repeat(201)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json()).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (ctx.app.server.address() as net.AddressInfo).port;
    const raw = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () =>
        s.write(`GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`),
      );
      let text = '';
      s.on('data', (d) => {
        text += String(d);
      });
      s.on('close', () => resolve(text));
      s.on('error', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'BAD_REQUEST', message: 'request header too large' },
    });
  });
});

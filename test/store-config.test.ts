// SQLite store (migrations from empty, reopen keeps data, feed order) and configuration
// precedence (flag > env > file > default) with one clear line for a bad value.
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store, SCHEMA_VERSION } from '../src/adapters/store/sqlite.js';
import { ConfigError, resolveConfig } from '../src/cli/config.js';
import { Harness } from './helpers/harness.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'rg-store-'));

describe('store', () => {
  it('creates the file and its folder and migrates from empty', () => {
    const file = join(tmp(), 'deep', 'er', 'rg.db');
    const s = new Store(file);
    expect(existsSync(file)).toBe(true);
    expect(s.schemaVersion).toBe(SCHEMA_VERSION);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (
      s.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>
    ).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['alarms', 'incidents', 'circuits', 'tickets', 'restarts']));
    s.close();
  });

  it('keeps everything across a reopen, and the ticket feed stays ordered by change', () => {
    const file = join(tmp(), 'rg.db');
    const s1 = new Store(file);
    const h = new Harness().persistTo(s1);
    h.raise('XT-A1', '1-1', 'R_LOS');
    h.raise('XT-A2', '2-1', 'R_LOS');
    h.advance(3000);
    h.raise('XT-A5', '4-1:1', 'T_ALOS');
    h.advance(3000);
    const feed1 = s1.ticketsSince(0, 100).map((t) => [t.id, t.seq]);
    s1.close();
    const s2 = new Store(file);
    expect(s2.schemaVersion).toBe(SCHEMA_VERSION);
    expect(s2.listAlarms({ state: 'all', limit: 100 }).items).toHaveLength(3);
    expect(
      s2
        .listIncidents({ state: 'open', limit: 100 })
        .items.map((i) => i.kind)
        .sort(),
    ).toEqual(['e1-tributary-fault', 'span-cut']);
    expect(s2.getCircuit('CKT-0001')?.state).toBe('switch-required');
    expect(s2.ticketsSince(0, 100).map((t) => [t.id, t.seq])).toEqual(feed1);
    expect(s2.maxIds()).toMatchObject({ alarm: 3, incident: 2, ticket: 2 });
    const state = s2.loadState();
    expect(state.circuits).toHaveLength(24);
    expect(state.incidents).toHaveLength(2);
    s2.close();
  });
});

describe('config', () => {
  const file = () => {
    const f = join(tmp(), 'rg.yaml');
    writeFileSync(
      f,
      'http-port: 9001\nholdDownMs: 1000\ntrap_port: 2000\nsnmp:\n  communities: [public, ops]\n  users: [{ name: u1, authProtocol: sha, authKey: authkey123 }]\n',
    );
    return f;
  };
  it('uses defaults', () => {
    const c = resolveConfig({}, {});
    expect(c).toMatchObject({
      topology: 'fixtures/demo-network.yaml',
      db: 'data/ringguard.db',
      trapHost: '127.0.0.1',
      trapPort: 1162,
      httpPort: 8080,
      holdDownMs: 2500,
      switchTimeoutMs: 10000,
      wtrMs: 300000,
      pollIntervalMs: 30000,
      pollMisses: 3,
      escalateAfterMs: 900000,
      mappings: null,
      logLevel: 'info',
    });
    expect(c.snmp.communities).toEqual(['public']);
  });
  it('applies flag > env > file > default', () => {
    const f = file();
    const c = resolveConfig({ httpPort: '9100' }, { RINGGUARD_HTTP_PORT: '9050', RINGGUARD_HOLD_DOWN_MS: '1500' }, f);
    expect(c.httpPort).toBe(9100);
    expect(c.holdDownMs).toBe(1500);
    expect(c.trapPort).toBe(2000);
    expect(c.wtrMs).toBe(300000);
    expect(c.snmp.communities).toEqual(['public', 'ops']);
    expect(c.snmp.users[0].name).toBe('u1');
    expect(resolveConfig({}, { RINGGUARD_HTTP_PORT: '9050' }, f).httpPort).toBe(9050);
    expect(resolveConfig({}, {}, f).httpPort).toBe(9001);
  });
  it('takes --orphan-grace-ms (default: none given, the correlator uses 3 × hold-down)', () => {
    expect(resolveConfig({}, {}).orphanGraceMs).toBeNull();
    expect(resolveConfig({ orphanGraceMs: '4000' }, {}).orphanGraceMs).toBe(4000);
    expect(resolveConfig({}, { RINGGUARD_ORPHAN_GRACE_MS: '9000' }).orphanGraceMs).toBe(9000);
    expect(() => resolveConfig({}, { RINGGUARD_ORPHAN_GRACE_MS: '-1' })).toThrow(
      /^RINGGUARD_ORPHAN_GRACE_MS: invalid value "-1"/,
    );
  });
  it('names the source of a bad value in one line', () => {
    expect(() => resolveConfig({ httpPort: 'abc' }, {})).toThrow(ConfigError);
    expect(() => resolveConfig({ httpPort: 'abc' }, {})).toThrow(/^--http-port: invalid value "abc"/);
    expect(() => resolveConfig({}, { RINGGUARD_POLL_MISSES: '0' })).toThrow(
      /^RINGGUARD_POLL_MISSES: invalid value "0": Too small: expected number to be >=1$/,
    );
    expect(() => resolveConfig({}, { RINGGUARD_LOG_LEVEL: 'loud' })).toThrow(/RINGGUARD_LOG_LEVEL/);
    // Numbers are decimal only.
    for (const v of ['', '0x10', '1e2', '+5', '1.5']) {
      expect(() => resolveConfig({ httpPort: v }, {}), v).toThrow(/^--http-port: invalid value .*decimal integer/);
    }
    expect(() => resolveConfig({}, { RINGGUARD_HOLD_DOWN_MS: '0x10' })).toThrow(
      /^RINGGUARD_HOLD_DOWN_MS: invalid value "0x10"/,
    );
    expect(() => resolveConfig({}, {}, '/nonexistent/rg.yaml')).toThrow(/--config: cannot read/);
    const f = join(tmp(), 'bad.yaml');
    writeFileSync(f, 'snmp:\n  users: [{ authKey: x }]\n');
    expect(() => resolveConfig({}, {}, f)).toThrow(/snmp\.users\[0\]\.name/);
  });
});

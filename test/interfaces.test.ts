// Standard interfaces an operator's tooling expects: --version, the OpenAPI document and its
// browsable page, Prometheus names, and a dependency tree that installs cleanly on Node 20.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, type MetricsSource } from '../src/adapters/api/metrics.js';
import { apiHarness, type ApiHarness } from './helpers/api.js';
import { run } from './helpers/env.js';

const ROOT = new URL('..', import.meta.url).pathname;
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
let ctx: ApiHarness | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
});

describe('ringguard --version', () => {
  it('prints the package version and exits 0', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), '--version'], 20_000);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  });
});

type Operation = {
  operationId?: string;
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
};

describe('GET /docs and /docs/json', () => {
  it('serves a browsable page', async () => {
    ctx = await apiHarness();
    const r = await ctx.app.inject('/docs');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toMatch(/swagger-ui/i);
    // The page's script and styles come from the service itself (no CDN on a NOC network).
    const css = await ctx.app.inject('/docs/static/swagger-ui.css');
    expect(css.statusCode).toBe(200);
  });

  it('names every operation, describes every response, and shows every field', async () => {
    ctx = await apiHarness();
    const r = await ctx.app.inject('/docs/json');
    expect(r.statusCode).toBe(200);
    const d = JSON.parse(r.body);
    expect(d.openapi).toMatch(/^3\./);
    const ops: Array<[string, Operation]> = [];
    for (const [path, methods] of Object.entries(d.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, op] of Object.entries(methods)) ops.push([`${method.toUpperCase()} ${path}`, op]);
    }
    expect(ops.length).toBeGreaterThanOrEqual(13);
    const ids = ops.map(([where, op]) => {
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      for (const [status, resp] of Object.entries(op.responses)) {
        expect(resp.description, `${where} ${status}`).not.toMatch(/^(Default Response)?$/);
      }
      return op.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
    const byId = Object.fromEntries(ops.map(([, op]) => [op.operationId, op]));
    expect(byId.switchoverCircuit.responses['409'].description).toMatch(/state/);
    expect(byId.streamEvents.responses['200'].content).toHaveProperty(['text/event-stream']);
    expect(byId.getMetrics.responses['200'].content).toHaveProperty(['text/plain; version=0.0.4']);
    const circuit = d.components.schemas.Circuit.properties;
    for (const f of ['since', 'timerDue', 'note', 'atRiskUntil', 'protectionAvailable'])
      expect(circuit[f], `Circuit.${f}`).toBeTruthy();
    expect(circuit.timerDue.description).toMatch(/wait-to-restore/);
    expect(d.components.schemas.Alarm.properties.flapping).toBeTruthy();
    expect(d.components.schemas.Ticket.properties.ackAt).toBeTruthy();
  });
});

function source(circuits: Record<string, number>): MetricsSource {
  return {
    trapsReceived: () => 0,
    informs: () => 0,
    rejected: () => ({}),
    unmapped: () => 0,
    unknownNames: () => 0,
    duplicates: () => ({ serial: 0, alarm: 0 }),
    kernelDrops: () => 0,
    recvBufferBytes: () => 0,
    alarmsActive: () => 0,
    incidentsOpen: () => 0,
    circuitsByState: () => circuits,
    ticketsByPriority: () => ({ P2: 1 }),
    pollFailures: () => 0,
    restarts: () => 0,
  };
}

describe('GET /metrics', () => {
  it('uses the standard process metric names and exports ringguard_build_info', async () => {
    const m = await createMetrics(source({}), { version: '9.8.7' }).registry.metrics();
    expect(m).toMatch(/^process_cpu_seconds_total \d/m);
    expect(m).toMatch(/^process_resident_memory_bytes \d/m);
    expect(m).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(m).not.toMatch(/ringguard_process_/);
    expect(m).toContain(`ringguard_build_info{version="9.8.7",node="${process.version}"} 1`);
  });

  it('keeps a labelled gauge at 0 when its last member leaves, instead of dropping the series', async () => {
    const circuits: Record<string, number> = { 'on-protection': 5, ok: 19 };
    const metrics = createMetrics(source(circuits));
    expect(await metrics.registry.metrics()).toMatch(/^ringguard_circuits\{state="on-protection"\} 5$/m);
    delete circuits['on-protection'];
    circuits.ok = 24;
    const m = await metrics.registry.metrics();
    expect(m).toMatch(/^ringguard_circuits\{state="on-protection"\} 0$/m);
    expect(m).toMatch(/^ringguard_circuits\{state="switch-failed"\} 0$/m);
    expect(m).toMatch(/^ringguard_tickets\{priority="P1"\} 0$/m);
    expect(m).toMatch(/^ringguard_tickets\{priority="P2"\} 1$/m);
  });
});

describe('dependencies', () => {
  it('every locked package accepts Node 20.19 and this Node (no EBADENGINE on install)', () => {
    const semver = createRequire(import.meta.url)('semver') as { satisfies(v: string, r: string): boolean };
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const bad: string[] = [];
    for (const [path, p] of Object.entries(
      lock.packages as Record<string, { engines?: { node?: string }; optional?: boolean }>,
    )) {
      const range = p.engines?.node;
      if (!path || !range) continue;
      for (const v of ['20.19.0', process.versions.node])
        if (!semver.satisfies(v, range)) bad.push(`${path} needs node ${range} (not ${v})`);
    }
    expect(bad).toEqual([]);
  });
});

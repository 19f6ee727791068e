// The REST app over a real SQLite file and the real pipeline on virtual time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/adapters/api/app.js';
import { TokenAuth } from '../../src/adapters/api/auth.js';
import { createMetrics } from '../../src/adapters/api/metrics.js';
import { Store } from '../../src/adapters/store/sqlite.js';
import { Harness } from './harness.js';

export interface ApiHarness {
  h: Harness;
  /** The audit lines the app wrote (one per human action). */
  audit: Array<Record<string, unknown>>;
  store: Store;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function apiHarness(tokens?: string, http?: AppDeps['http']): Promise<ApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-api-'));
  const store = new Store(join(dir, 'rg.db'));
  const h = new Harness().persistTo(store);
  const audit: Array<Record<string, unknown>> = [];
  const metrics = createMetrics({
    trapsReceived: () => 0,
    informs: () => 0,
    rejected: () => ({}),
    unmapped: () => 0,
    unknownNames: () => 0,
    duplicates: () => ({ serial: h.pipeline.counters.duplicates, alarm: h.pipeline.ledger.stats.duplicates }),
    kernelDrops: () => 0,
    recvBufferBytes: () => 0,
    alarmsActive: () => store.counts().alarmsActive,
    incidentsOpen: () => store.counts().incidentsOpen,
    circuitsByState: () => ({}),
    ticketsByPriority: () => ({}),
    pollFailures: () => 0,
    restarts: () => 0,
  });
  const app = await buildApp({
    store,
    graph: h.graph,
    events$: h.pipeline.output$,
    metrics,
    auth: new TokenAuth(tokens),
    version: '0.0.0-test',
    uptimeS: () => 1,
    heartbeatMs: 50,
    http,
    commands: {
      confirm: (circuit, by, note, to) => h.command({ kind: 'confirm', circuit, by, note, to }) as never,
      ack: (ticket, by) => h.command({ kind: 'ack', ticket, by }) as never,
      close: (ticket, by, note) => h.command({ kind: 'close', ticket, by, note }) as never,
      note: (ticket, by, text) => h.command({ kind: 'note', ticket, by, text }) as never,
      ackAlarm: (alarm, by) => h.command({ kind: 'ack-alarm', alarm, by, view: store.getAlarm(alarm) }) as never,
    },
    audit: (line) => audit.push(line),
    maintenance: {
      store,
      graph: h.graph,
      maxMs: 86_400_000,
      now: () => h.now,
      create: (window) => h.command({ kind: 'maintenance-create', window }) as never,
      end: (id, by) => h.command({ kind: 'maintenance-end', window: id, by, stored: store.getWindow(id) }) as never,
    },
  });
  return {
    h,
    store,
    app,
    audit,
    async close() {
      await app.close();
      store.close();
    },
  };
}

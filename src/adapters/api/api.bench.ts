// Benchmark: autocannon on the ticket feed and the alarm list with 10,000 rows in the database.
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { AlarmView } from '../../core/model.js';
import type { StoredTicket } from '../../core/tickets/engine.js';
import { Store } from '../store/sqlite.js';
import { DEMO, startSvc, summary, table, work } from '../../bench/lib.js';

// ---- 6. API throughput with 10k rows -------------------------------------------------------
export async function apiBench(): Promise<void> {
  const db = join(work, 'api.db');
  const store = new Store(db);
  const alarms: AlarmView[] = [];
  const tickets: StoredTicket[] = [];
  for (let i = 1; i <= 10_000; i++) {
    alarms.push({
      id: `ALM-${i}`,
      node: `XT-A${1 + (i % 6)}`,
      object: `9-${i % 40}`,
      type: 'UNKNOWN:BER_SD',
      vendorName: 'BER_SD',
      severity: 'minor',
      state: i % 3 ? 'active' : 'cleared',
      raisedAt: new Date(i * 1000).toISOString(),
      clearedAt: null,
      count: 1,
      incidentId: `INC-${i}`,
      suppressed: false,
      flapping: false,
    });
    tickets.push({
      id: `TKT-${i}`,
      seq: i,
      incidentId: `INC-${i}`,
      kind: 'unclassified',
      title: 't',
      titles: { 'zh-CN': '未归类告警', en: 'Unclassified' },
      priority: 'P4',
      state: 'open',
      affectedCircuits: [],
      impacts: [],
      customers: [],
      runbook: [],
      runbooks: { 'zh-CN': [{ step: 1, text: '研判' }], en: [{ step: 1, text: 'judge' }] },
      escalation: { level: 1, group: 'duty', reason: 'new ticket' },
      createdAt: new Date(0).toISOString(),
      updatedAt: new Date(0).toISOString(),
      resolvedAt: null,
      ackBy: null,
      ackAt: null,
      closedBy: null,
      escalateAt: null,
      planned: false,
      journal: [],
    });
  }
  store.writeBatch({ alarms, tickets });
  store.close();
  const svc = await startSvc(DEMO, db);
  const rows: Array<Record<string, string | number>> = [];
  for (const path of [
    '/api/v1/tickets?since=0&limit=100',
    '/api/v1/alarms?limit=100',
    '/api/v1/alarms?state=active&limit=100',
  ]) {
    const r = await autocannon({ url: `http://127.0.0.1:${svc.http}${path}`, connections: 10, duration: 5 });
    rows.push({
      path,
      'req/s (avg)': Math.round(r.requests.average),
      'p50 ms': r.latency.p50,
      'p99 ms': r.latency.p99,
      errors: r.errors + r.non2xx,
    });
  }
  table('API: autocannon, 10 connections x 5 s, 10,000 alarms and 10,000 tickets in the database', rows);
  summary.api = rows;
  await svc.stop();
}

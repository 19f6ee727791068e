// 500 ring cuts at once on the generated topology -> exactly 500 span-cut incidents, every alarm
// in one of them; and a WTR interrupted by a restart resumes from the database.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../src/adapters/store/sqlite.js';
import { TopologyGraph } from '../src/core/topology/graph.js';
import { parseTopology } from '../src/core/topology/validate.js';
import type { StoredTicket } from '../src/core/tickets/engine.js';
import { buildScenario } from '../src/simulation/scenarios.js';
import { Harness } from './helpers/harness.js';

describe('storm on the generated 500-ring topology', () => {
  it('500 ring cuts at once are exactly 500 span-cut incidents', async () => {
    const { generateScale } = await import(new URL('../scripts/gen-scale.mjs', import.meta.url).pathname);
    const r = parseTopology(generateScale({ rings: 500, ringSize: 10, circuits: 10_000 }));
    if (!r.ok) throw new Error(JSON.stringify(r.problems.slice(0, 3)));
    const g = new TopologyGraph(r.topology);
    const h = new Harness(g);
    const sc = buildScenario(g, 'storm');
    const cuts = sc.raise.filter((n) => n.kind === 'raise');
    expect(cuts).toHaveLength(1000);
    for (const n of sc.raise) {
      if (n.kind === 'switch') h.switch(n.node, n.object, n.state);
      else h.raise(n.node, n.object, n.alarmName);
    }
    h.advance(3000);
    const live = h.liveIncidents();
    expect(live).toHaveLength(500);
    expect(live.every((i) => i.kind === 'span-cut' && i.detail.fibres === 'both' && i.alarmCount === 2)).toBe(true);
    expect(new Set(live.flatMap((i) => i.spans)).size).toBe(500);
    expect([...h.alarms.values()].filter((a) => !a.incidentId)).toEqual([]);
    expect(h.tickets.size).toBe(500);
  }, 60_000);
});

describe('restart in the middle of a WTR', () => {
  it('resumes the WTR from the database and returns the circuit to working when it ends', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rg-wtr-')), 'rg.db');
    const s1 = new Store(file);
    const h1 = new Harness().persistTo(s1);
    h1.raise('XT-A1', '1-1', 'R_LOS');
    h1.raise('XT-A2', '2-1', 'R_LOS');
    h1.switch('XT-A1', '1-1', 'toProtection');
    h1.advance(3000);
    h1.clear('XT-A1', '1-1', 'R_LOS');
    h1.clear('XT-A2', '2-1', 'R_LOS');
    expect(h1.circuits.get('CKT-0001')).toMatchObject({
      state: 'wtr',
      timerDue: new Date(3000 + 300_000).toISOString(),
    });
    h1.advance(100_000); // 100 s into the 300 s WTR, the service stops
    h1.pipeline.close();
    s1.close();

    // The new process: its clock reads on from where the old one stopped.
    const s2 = new Store(file);
    const st = s2.loadState();
    const h2 = new Harness(
      undefined,
      {},
      {
        alarms: st.alarms,
        incidents: st.incidents,
        circuits: st.circuits,
        tickets: st.tickets as StoredTicket[],
        ids: s2.maxIds(),
      },
      103_000,
    );
    expect(h2.pipeline.protection.circuit('CKT-0001')).toMatchObject({ state: 'wtr', activePath: 'protection' });
    h2.at(302_999);
    expect(h2.pipeline.protection.circuit('CKT-0001')!.state).toBe('wtr');
    h2.at(303_001);
    expect(h2.pipeline.protection.circuit('CKT-0001')).toMatchObject({ state: 'ok', activePath: 'working' });
    expect(h2.circuits.get('CKT-0001')?.state).toBe('ok');
    s2.close();
  });
});

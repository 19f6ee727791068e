// Wires the notification hub to a Harness pipeline and a real SQLite store, as the service does:
// ticket changes and their outbox rows in one transaction.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { loadRosterOrThrow } from '../../src/adapters/files/roster-file.js';
import { NotifyHub } from '../../src/adapters/notify/hub.js';
import { Store } from '../../src/adapters/store/sqlite.js';
import { NotifyConfigSchema } from '../../src/core/notify/config.js';
import { buildScenario, type ScenarioName } from '../../src/simulation/scenarios.js';
import type { Harness } from './harness.js';

export const ROSTER = new URL('../../fixtures/roster.example.yaml', import.meta.url).pathname;
/** Tuesday 2026-11-03 10:00 in Beijing: 王伟 (noc-wang) has the day shift. */
export const TUESDAY_10H = Date.parse('2026-11-03T10:00:00+08:00');

export const tmpDb = () => join(mkdtempSync(join(tmpdir(), 'rg-notify-')), 'rg.db');

export function makeHub(
  store: Store,
  notify: unknown,
  opts: {
    roster?: boolean;
    at?: number;
    registry?: Registry;
    onSettled?: (tickets: string[], text: string) => void;
  } = {},
): NotifyHub {
  const offset = (opts.at ?? TUESDAY_10H) - Date.now();
  const hub = new NotifyHub({
    store,
    config: NotifyConfigSchema.parse(notify),
    roster: opts.roster === false ? null : loadRosterOrThrow(ROSTER),
    registry: opts.registry ?? new Registry(),
    pageUrl: () => 'http://noc.example:8080/',
    clock: () => Date.now() + offset,
    onSettled: opts.onSettled,
  });
  hub.start();
  return hub;
}

/** The service's persist step for a Harness: tickets and their notifications in one transaction. */
export function wire(h: Harness, store: Store, hub: NotifyHub): void {
  store.writeBatch({ circuits: h.pipeline.initialCircuits });
  h.pipeline.output$.subscribe((o) => {
    store.writeBatch({
      alarms: o.alarms,
      incidents: o.incidents,
      circuits: o.circuits,
      tickets: o.tickets,
      notify: hub.decide(o.tickets),
    });
    hub.afterWrite();
  });
}

/** A span cut of S-A6-A1 (both fibres), LOS only: no switch events. */
export function spanCut(h: Harness, clear = false): void {
  const act = clear ? 'clear' : 'raise';
  h.alarm(act, 'XT-A6', '1-1', 'R_LOS');
  h.alarm(act, 'XT-A1', '2-1', 'R_LOS');
}

/** A drill as `ringguard simulate` sends it (alarms and the switches the network makes), or its repair. */
export function drill(h: Harness, name: ScenarioName, phase: 'raise' | 'clear' = 'raise'): void {
  for (const x of buildScenario(h.graph, name)[phase]) {
    if (x.kind === 'switch') h.switch(x.node, x.object, x.state);
    else h.alarm(x.kind, x.node, x.object, x.alarmName);
  }
}

// Golden timeline scenarios (fixtures/scenarios/*.yaml, strict schema in helpers/scenario.ts)
// on virtual time, through the real pipeline: alarms at times -> incidents, suppressed alarms,
// circuit states and tickets, and nothing else opened in between. Every scenario is also run
// with a restart (through a real SQLite file) in the middle and during the first hold-down,
// and must reach the same result.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Harness } from './helpers/harness.js';
import {
  loadScenario,
  matches,
  outcome,
  runScenario,
  SCENARIO_DIR,
  timeline,
  type Scenario,
  type ScenarioCheck,
} from './helpers/scenario.js';

const files = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const scenarios = files.map((f) => [f, loadScenario(SCENARIO_DIR + f)] as const);
const tmp = mkdtempSync(join(tmpdir(), 'rg-golden-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('golden scenarios', () => {
  it('has a scenario for every incident kind of the contract', () => {
    const kinds = new Set<string>();
    for (const [, s] of scenarios)
      for (const c of s.expect) for (const i of c.incidents ?? []) if (i.kind) kinds.add(i.kind);
    expect([...kinds].sort()).toEqual([
      'access-fiber-cut',
      'cpe-failure',
      'customer-equipment-fault',
      'e1-tributary-fault',
      'equipment-fault',
      'node-failure',
      'site-power-failure',
      'span-cut',
      'unclassified',
    ]);
  });

  it('rejects a scenario file with a typo', () => {
    const bad = join(tmp, 'typo.yaml');
    const write = (body: string) => {
      writeFileSync(bad, body);
      return () => loadScenario(bad);
    };
    expect(
      write(
        'name: x\nexpect: [{ at: 1, incidentCount: 1 }]\nopened: { incidents: 1, tickets: 1 }\nevents: [{ at: 0, raise: { node: A, object: "", typ: LOS } }]\n',
      ),
    ).toThrow(/events\.0\.raise: Unrecognized key: "typ"/);
    expect(
      write('name: x\nexpect: [{ at: 1, incidents: [{ knd: span-cut }] }]\nopened: { incidents: 1, tickets: 1 }\n'),
    ).toThrow(/expect\.0\.incidents\.0/);
    expect(
      write('name: x\nexpect: [{ at: 1, incidents: [{ kind: span-cutt }] }]\nopened: { incidents: 1, tickets: 1 }\n'),
    ).toThrow(/kind/);
    expect(write('name: x\nexpect: [{ at: 1 }]\n')).toThrow(/opened/);
  });

  for (const [file, s] of scenarios) {
    describe(`${file}: ${s.name}`, () => {
      let plain: unknown;
      it('plays through', () => {
        const h = runScenario(s, { check });
        expectOpened(h, s);
        plain = outcome(h);
        h.close();
      });
      for (const [label, at] of restartPoints(s)) {
        it(`reaches the same result with a restart ${label} (t=${at})`, () => {
          const h = runScenario(s, { check, restartAt: at, dbFile: join(tmp, `${file}-${at}.db`) });
          expectOpened(h, s);
          expect(outcome(h)).toEqual(plain);
          h.close();
        });
      }
    });
  }
});

/** During the first hold-down, just after the first decision, and half way through the timeline. */
function restartPoints(s: Scenario): Array<[string, number]> {
  const evs = timeline(s);
  const first = evs[0]?.at ?? 0;
  const last = evs[evs.length - 1]?.at ?? 0;
  const hold = s.options.holdDownMs ?? 2500;
  const points: Array<[string, number]> = [['in the first hold-down', first + Math.floor(hold / 2)]];
  if (first + hold + 100 < last) points.push(['after the first decision', first + hold + 100]);
  const mid = Math.floor((first + last) / 2);
  if (mid > first + hold + 100) points.push(['half way', mid]);
  return points;
}

function expectOpened(h: Harness, s: Scenario): void {
  expect(
    { incidents: h.opened.incidents.size, tickets: h.opened.tickets.size },
    `opened over the timeline: ${[...h.opened.incidents].join(', ')}`,
  ).toEqual(s.opened);
}

function check(h: Harness, c: ScenarioCheck): void {
  const live = h.liveIncidents();
  const ctx = (what: string) =>
    `at ${c.at}: ${what}\nincidents: ${JSON.stringify(
      live.map((i) => ({
        id: i.id,
        kind: i.kind,
        state: i.state,
        spans: i.spans,
        nodes: i.nodes,
        alarmCount: i.alarmCount,
        detail: i.detail,
        affected: i.affectedCircuits,
        impact: i.impact,
      })),
      null,
      1,
    )}`;
  if (c.incidentCount !== undefined) expect(live.length, ctx('incident count')).toBe(c.incidentCount);
  if (c.alarmCount !== undefined) expect(h.alarms.size, ctx('alarm count')).toBe(c.alarmCount);
  for (const want of c.incidents ?? []) {
    const { suppressedCount, ...fields } = want;
    const found = live.find(
      (i) =>
        matches(i, fields) &&
        (suppressedCount === undefined ||
          [...h.alarms.values()].filter((a) => a.incidentId === i.id && a.suppressed).length === suppressedCount),
    );
    expect(found, ctx(`incident ${JSON.stringify(want)}`)).toBeTruthy();
  }
  // Every alarm belongs to exactly one live incident once its hold-down has passed.
  const hold = h.holdDownMs;
  for (const a of h.alarms.values()) {
    if (Date.parse(a.raisedAt) + hold + 100 <= c.at)
      expect(a.incidentId, `alarm ${a.id} undecided at ${c.at}`).toBeTruthy();
    if (a.incidentId)
      expect(
        live.some((i) => i.id === a.incidentId),
        `alarm ${a.id} points at a merged incident`,
      ).toBe(true);
  }
  for (const want of c.alarms ?? []) {
    expect(
      [...h.alarms.values()].some((a) => matches(a, want)),
      `at ${c.at}: alarm ${JSON.stringify(want)} in ${JSON.stringify([...h.alarms.values()])}`,
    ).toBe(true);
  }
  for (const [id, want] of Object.entries(c.circuits ?? {})) {
    const got = h.circuits.get(id);
    const w = typeof want === 'string' ? { state: want } : want;
    expect(matches(got, w), `at ${c.at}: circuit ${id} want ${JSON.stringify(w)} got ${JSON.stringify(got)}`).toBe(
      true,
    );
  }
  const tickets = [...h.tickets.values()];
  const tctx = () =>
    JSON.stringify(
      tickets.map((t) => ({
        id: t.id,
        incident: t.incidentId,
        kind: t.kind,
        priority: t.priority,
        state: t.state,
        escalation: t.escalation,
        customers: t.customers,
      })),
    );
  if (c.ticketCount !== undefined) expect(tickets.length, `at ${c.at}: ticket count in ${tctx()}`).toBe(c.ticketCount);
  for (const want of c.tickets ?? [])
    expect(
      tickets.some((t) => matches(t, want)),
      `at ${c.at}: ticket ${JSON.stringify(want)} in ${tctx()}`,
    ).toBe(true);
  // One ticket per live incident, except symptoms still waiting for their cause (orphan grace).
  for (const i of live) {
    const n = tickets.filter((t) => t.incidentId === i.id).length;
    if (i.awaitingCauseUntil)
      expect(n, `${i.id} awaits its cause until ${i.awaitingCauseUntil}: no ticket yet`).toBe(0);
    else expect(n, `ticket of ${i.id}`).toBe(1);
  }
}

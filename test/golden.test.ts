// Golden timeline scenarios (fixtures/scenarios/*.yaml) on virtual time, through the real
// pipeline on the demo network: alarms at times -> incidents, suppressed alarms, circuit
// states and tickets.
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Harness } from './helpers/harness.js';

const dir = new URL('../fixtures/scenarios/', import.meta.url).pathname;

interface Ev {
  at: number;
  eventAt?: number;
  raise?: { node: string; object: string; type: string };
  clear?: { node: string; object: string; type: string };
  switch?: { node: string; object: string; state: 'toProtection' | 'toWorking' | 'failed' };
  confirm?: { circuit: string; by: string };
  expectError?: string;
}
interface Scenario {
  name: string;
  events?: Ev[];
  repeat?: { every: number; times: number; events: Ev[] };
  expect: Array<Record<string, unknown> & { at: number }>;
}

/** Every field given in `want` matches `got`; string arrays compare as sets. */
function matches(got: unknown, want: unknown): boolean {
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return false;
    if (want.every((w) => typeof w === 'string')) return [...want].sort().join('|') === [...(got as string[])].sort().join('|');
    return want.every((w, i) => matches(got[i], w));
  }
  if (want && typeof want === 'object') {
    if (!got || typeof got !== 'object') return false;
    return Object.entries(want).every(([k, v]) => matches((got as Record<string, unknown>)[k], v));
  }
  return got === want;
}

function timeline(s: Scenario): Ev[] {
  const evs = [...(s.events ?? [])];
  if (s.repeat) for (let i = 0; i < s.repeat.times; i++) for (const e of s.repeat.events) evs.push({ ...e, at: e.at + i * s.repeat.every });
  return evs.sort((a, b) => a.at - b.at);
}

const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('golden scenarios', () => {
  it('has a scenario for every incident kind of the contract', () => {
    const kinds = new Set<string>();
    for (const f of files) {
      const s = parse(readFileSync(dir + f, 'utf8')) as Scenario;
      for (const c of s.expect) for (const i of (c.incidents as Array<{ kind?: string }>) ?? []) if (i.kind) kinds.add(i.kind);
    }
    expect([...kinds].sort()).toEqual(['access-fiber-cut', 'cpe-failure', 'customer-equipment-fault', 'e1-tributary-fault', 'equipment-fault',
      'node-failure', 'site-power-failure', 'span-cut', 'unclassified']);
  });

  for (const file of files) {
    const s = parse(readFileSync(dir + file, 'utf8')) as Scenario;
    it(`${file}: ${s.name}`, () => {
      const h = new Harness();
      const evs = timeline(s);
      const checks = [...s.expect].sort((a, b) => a.at - b.at);
      let ci = 0;
      const runChecksUntil = (t: number) => {
        while (ci < checks.length && checks[ci].at <= t) {
          const c = checks[ci++];
          h.at(c.at);
          check(h, c);
        }
      };
      for (const e of evs) {
        runChecksUntil(e.at - 1);
        h.at(e.at);
        const et = e.eventAt ?? e.at;
        if (e.raise) h.raise(e.raise.node, e.raise.object, e.raise.type, et);
        if (e.clear) h.clear(e.clear.node, e.clear.object, e.clear.type, et);
        if (e.switch) h.switch(e.switch.node, e.switch.object, e.switch.state);
        if (e.confirm) {
          const r = h.command({ kind: 'confirm', circuit: e.confirm.circuit, by: e.confirm.by, note: null });
          if (e.expectError) expect(r.ok ? 'ok' : r.code).toBe(e.expectError);
          else expect(r.ok, JSON.stringify(r)).toBe(true);
        }
      }
      runChecksUntil(Infinity);
    });
  }
});

function check(h: Harness, c: Record<string, unknown> & { at: number }): void {
  const live = h.liveIncidents();
  const ctx = (what: string) => `at ${c.at}: ${what}\nincidents: ${JSON.stringify(live.map((i) => ({ id: i.id, kind: i.kind, state: i.state, spans: i.spans, nodes: i.nodes, alarmCount: i.alarmCount, detail: i.detail, affected: i.affectedCircuits })), null, 1)}`;
  if (c.incidentCount !== undefined) expect(live.length, ctx('incident count')).toBe(c.incidentCount);
  if (c.alarmCount !== undefined) expect(h.alarms.size, ctx('alarm count')).toBe(c.alarmCount);
  for (const want of (c.incidents as Array<Record<string, unknown>>) ?? []) {
    const { suppressedCount, ...fields } = want;
    const found = live.find((i) => matches(i, fields) &&
      (suppressedCount === undefined || [...h.alarms.values()].filter((a) => a.incidentId === i.id && a.suppressed).length === suppressedCount));
    expect(found, ctx(`incident ${JSON.stringify(want)}`)).toBeTruthy();
  }
  // Every alarm belongs to exactly one live incident once its hold-down has passed.
  for (const a of h.alarms.values()) {
    if (Date.parse(a.raisedAt) + 2600 <= c.at) expect(a.incidentId, `alarm ${a.id} undecided at ${c.at}`).toBeTruthy();
    if (a.incidentId) expect(live.some((i) => i.id === a.incidentId), `alarm ${a.id} points at a merged incident`).toBe(true);
  }
  for (const want of (c.alarms as Array<Record<string, unknown>>) ?? []) {
    expect([...h.alarms.values()].some((a) => matches(a, want)), `at ${c.at}: alarm ${JSON.stringify(want)} in ${JSON.stringify([...h.alarms.values()])}`).toBe(true);
  }
  for (const [id, want] of Object.entries((c.circuits as Record<string, unknown>) ?? {})) {
    const got = h.circuits.get(id);
    const w = typeof want === 'string' ? { state: want } : want;
    expect(matches(got, w), `at ${c.at}: circuit ${id} want ${JSON.stringify(w)} got ${JSON.stringify(got)}`).toBe(true);
  }
  const tickets = [...h.tickets.values()];
  for (const want of (c.tickets as Array<Record<string, unknown>>) ?? []) {
    expect(tickets.some((t) => matches(t, want)), `at ${c.at}: ticket ${JSON.stringify(want)} in ${JSON.stringify(tickets.map((t) => ({ id: t.id, kind: t.kind, priority: t.priority, state: t.state, escalation: t.escalation, customers: t.customers })))}`).toBe(true);
  }
  // One ticket per live incident.
  for (const i of live) expect(tickets.filter((t) => t.incidentId === i.id).length, `ticket of ${i.id}`).toBe(1);
}

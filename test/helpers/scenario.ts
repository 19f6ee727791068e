// Golden timeline scenarios (fixtures/scenarios/*.yaml): a strict schema (a typo in a key fails
// the load with its path), and a runner that plays one through the real pipeline on virtual
// time, optionally restarting it in the middle through a real SQLite file.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { CIRCUIT_STATES, INCIDENT_KINDS } from '../../src/core/model.js';
import { Harness } from './harness.js';

const AlarmRef = z.strictObject({ node: z.string(), object: z.string(), type: z.string() });
const ms = z.number().int().nonnegative();

const Event = z
  .strictObject({
    at: ms,
    /** Event time of the notification when it differs from its arrival (reordering). */
    eventAt: ms.optional(),
    raise: AlarmRef.optional(),
    clear: AlarmRef.optional(),
    switch: z
      .strictObject({ node: z.string(), object: z.string(), state: z.enum(['toProtection', 'toWorking', 'failed']) })
      .optional(),
    confirm: z
      .strictObject({ circuit: z.string(), by: z.string(), to: z.enum(['working', 'protection']).optional() })
      .optional(),
    expectError: z.string().optional(),
    /** Stop the pipeline, reopen it from the same SQLite file, continue. */
    restart: z.literal(true).optional(),
  })
  .refine((e) => [e.raise, e.clear, e.switch, e.confirm, e.restart].filter((x) => x !== undefined).length === 1, {
    message: 'each event does exactly one of raise, clear, switch, confirm, restart',
  });

const strings = z.array(z.string());
const IncidentWant = z
  .strictObject({
    id: z.string(),
    kind: z.enum(INCIDENT_KINDS),
    state: z.enum(['open', 'cleared']),
    spans: strings,
    nodes: strings,
    sites: strings,
    accessLinks: strings,
    equipment: strings,
    alarmCount: z.number().int(),
    suppressedCount: z.number().int(),
    affectedCircuits: strings,
    detail: z.record(z.string(), z.unknown()),
    ticketId: z.string().nullable(),
    /** Failed resources the circuit model sees (the incident's impact). */
    impact: z
      .strictObject({ spans: strings, nodes: strings, access: strings, equipment: strings, circuits: strings })
      .partial(),
  })
  .partial();
const AlarmWant = z
  .strictObject({
    id: z.string(),
    node: z.string(),
    object: z.string(),
    type: z.string(),
    vendorName: z.string(),
    state: z.enum(['active', 'cleared']),
    clearedAt: z.string().nullable(),
    incidentId: z.string().nullable(),
    suppressed: z.boolean(),
    flapping: z.boolean(),
    count: z.number().int(),
  })
  .partial();
const CircuitWant = z.union([
  z.enum(CIRCUIT_STATES),
  z
    .strictObject({
      state: z.enum(CIRCUIT_STATES),
      activePath: z.enum(['working', 'protection']),
      protectionAvailable: z.boolean(),
      confirmedBy: z.string().nullable(),
      workingRestored: z.boolean(),
      atRiskUntil: z.string().nullable(),
      switchTo: z.enum(['working', 'protection']).nullable(),
    })
    .partial(),
]);
const TicketWant = z
  .strictObject({
    id: z.string(),
    incidentId: z.string(),
    kind: z.enum(INCIDENT_KINDS),
    priority: z.enum(['P1', 'P2', 'P3', 'P4']),
    state: z.enum(['open', 'acknowledged', 'resolved', 'closed']),
    customers: strings,
    affectedCircuits: strings,
    escalation: z
      .strictObject({ level: z.number().int(), group: z.enum(['duty', 'implementation', 'leadership']) })
      .partial(),
  })
  .partial();

const Check = z.strictObject({
  at: ms,
  /** Incidents standing on their own (not merged into another) at that time. */
  incidentCount: z.number().int().optional(),
  alarmCount: z.number().int().optional(),
  incidents: z.array(IncidentWant).optional(),
  alarms: z.array(AlarmWant).optional(),
  circuits: z.record(z.string(), CircuitWant).optional(),
  tickets: z.array(TicketWant).optional(),
  /** Tickets in existence at that time (none opened that should not be). */
  ticketCount: z.number().int().optional(),
});

export const Scenario = z.strictObject({
  name: z.string(),
  /** Topology under fixtures/ (default: the demo network). */
  network: z.string().default('demo-network.yaml'),
  options: z
    .strictObject({ holdDownMs: ms, switchTimeoutMs: ms, wtrMs: ms, escalateAfterMs: ms, orphanGraceMs: ms })
    .partial()
    .default({}),
  events: z.array(Event).default([]),
  repeat: z.strictObject({ every: ms, times: z.number().int().positive(), events: z.array(Event) }).optional(),
  expect: z.array(Check).min(1),
  /** Over the whole timeline: every incident id and ticket ever published (nothing else opened in between). */
  opened: z.strictObject({ incidents: z.number().int(), tickets: z.number().int() }),
});
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioEvent = z.infer<typeof Event>;
export type ScenarioCheck = z.infer<typeof Check>;

export const SCENARIO_DIR = new URL('../../fixtures/scenarios/', import.meta.url).pathname;
const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

export function loadScenario(file: string): Scenario {
  const r = Scenario.safeParse(parse(readFileSync(file, 'utf8')));
  if (!r.success)
    throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function timeline(s: Scenario): ScenarioEvent[] {
  const evs = [...s.events];
  if (s.repeat)
    for (let i = 0; i < s.repeat.times; i++)
      for (const e of s.repeat.events) evs.push({ ...e, at: e.at + i * s.repeat.every });
  return evs.sort((a, b) => a.at - b.at);
}

/** Every field given in `want` matches `got`; string arrays compare as sets. */
export function matches(got: unknown, want: unknown): boolean {
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return false;
    if (want.every((w) => typeof w === 'string'))
      return [...want].sort().join('|') === [...(got as string[])].sort().join('|');
    return want.every((w, i) => matches(got[i], w));
  }
  if (want && typeof want === 'object') {
    if (!got || typeof got !== 'object') return false;
    return Object.entries(want).every(([k, v]) => matches((got as Record<string, unknown>)[k], v));
  }
  return got === want;
}

export interface RunOptions {
  /** Restart the pipeline (through a SQLite file) just before this time. */
  restartAt?: number;
  /** SQLite file for restarts (required when the timeline restarts). */
  dbFile?: string;
  /** Called at each check with the harness; throws on a mismatch. */
  check(h: Harness, c: ScenarioCheck): void;
}

/** Plays a scenario; returns the harness at the end (after the last check). */
export function runScenario(s: Scenario, o: RunOptions): Harness {
  const h = new Harness(Harness.loadGraph(FIXTURES + s.network), s.options);
  if (o.dbFile) h.persistFile(o.dbFile);
  const evs = timeline(s);
  if (o.restartAt !== undefined) {
    const i = evs.findIndex((e) => e.at >= o.restartAt!);
    evs.splice(i < 0 ? evs.length : i, 0, { at: o.restartAt, restart: true });
  }
  const checks = [...s.expect].sort((a, b) => a.at - b.at);
  let ci = 0;
  const checksUntil = (t: number) => {
    while (ci < checks.length && checks[ci].at <= t) {
      const c = checks[ci++];
      h.at(c.at);
      o.check(h, c);
    }
  };
  for (const e of evs) {
    checksUntil(e.at - 1);
    h.at(e.at);
    const et = e.eventAt ?? e.at;
    if (e.raise) h.raise(e.raise.node, e.raise.object, e.raise.type, et);
    if (e.clear) h.clear(e.clear.node, e.clear.object, e.clear.type, et);
    if (e.switch) h.switch(e.switch.node, e.switch.object, e.switch.state);
    if (e.restart) h.restart();
    if (e.confirm) {
      const r = h.command({
        kind: 'confirm',
        circuit: e.confirm.circuit,
        by: e.confirm.by,
        note: null,
        to: e.confirm.to,
      });
      const got = r.ok ? 'ok' : r.code;
      if ((e.expectError ?? 'ok') !== got)
        throw new Error(
          `at ${e.at}: confirm ${e.confirm.circuit}: want ${e.expectError ?? 'ok'}, got ${JSON.stringify(r)}`,
        );
    }
  }
  checksUntil(Infinity);
  return h;
}

/** What must be the same with and without a restart: ids, kinds, membership, states. */
export function outcome(h: Harness): unknown {
  const sortById = <T extends { id: string }>(xs: Iterable<T>) =>
    [...xs].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  return {
    incidents: sortById(h.incidents.values()).map((i) => ({
      id: i.id,
      kind: i.kind,
      state: i.state,
      spans: [...i.spans].sort(),
      nodes: [...i.nodes].sort(),
      alarmCount: i.alarmCount,
      roots: [...i.rootAlarmIds].sort(),
      mergedInto: i.mergedInto ?? null,
      affected: [...i.affectedCircuits].sort(),
      ticketId: i.ticketId,
    })),
    alarms: sortById(h.alarms.values()).map((a) => ({
      id: a.id,
      state: a.state,
      incidentId: a.incidentId,
      suppressed: a.suppressed,
    })),
    circuits: sortById(h.circuits.values()).map((c) => ({
      id: c.id,
      state: c.state,
      activePath: c.activePath,
      protectionAvailable: c.protectionAvailable,
    })),
    tickets: sortById(h.tickets.values()).map((t) => ({
      id: t.id,
      incidentId: t.incidentId,
      kind: t.kind,
      priority: t.priority,
      state: t.state,
      level: t.escalation.level,
    })),
  };
}

// What a drill will do to the circuits, predicted by ringguard's own pipeline on virtual time,
// starting from the circuits' current states (and the spans/nodes still failed), so that a drill
// run right after another one says what will really happen. Pure: no IO; the clock is a
// VirtualTimeScheduler started at `now`.
import { VirtualTimeScheduler } from 'rxjs';
import { canonicalType, defaultSeverity, SEVERITIES, type Severity } from '../core/alarms/catalogue.js';
import type { CanonicalEvent } from '../core/alarms/events.js';
import { iso, type CircuitState, type CircuitView, type IncidentKind, type IncidentView } from '../core/model.js';
import type { TopologyGraph } from '../core/topology/graph.js';
import { Pipeline } from '../pipeline/pipeline.js';
import type { Scenario, SimNotification } from './scenarios.js';

export interface CurrentState {
  /** Circuits as GET /api/v1/circuits serves them. */
  circuits: CircuitView[];
  /** Spans and nodes failed now (GET /api/v1/topology). */
  failed: { spans: string[]; nodes: string[] };
}

export interface PredictOptions {
  holdDownMs: number;
  switchTimeoutMs: number;
  wtrMs: number;
  /** When the clears are sent (ms after the raises); none: no repair. */
  durationMs?: number;
}

export type PhaseName = 'after the hold-down' | 'after the switch timeout' | 'after the repair' | 'after the WTR';

export interface Phase {
  name: PhaseName;
  /** ms after the first notification. */
  at: number;
  states: Record<string, CircuitState>;
  /** Kinds of the incidents standing on their own then (the correlator's own conclusion). */
  incidents: IncidentKind[];
}

function advanceTo(s: VirtualTimeScheduler, t: number): void {
  if (t <= s.now()) return;
  s.schedule(() => undefined, t - s.now());
  s.maxFrames = t;
  s.flush();
}

function toEvent(n: SimNotification, at: number): CanonicalEvent {
  if (n.kind === 'switch') return { kind: 'switch', node: n.node, object: n.object, state: n.state, eventTime: at };
  const type = canonicalType(n.alarmName);
  const severity: Severity =
    n.kind === 'clear'
      ? 'cleared'
      : SEVERITIES.includes(n.severity as Severity)
        ? (n.severity as Severity)
        : defaultSeverity(type);
  return { kind: n.kind, node: n.node, object: n.object, type, vendorName: n.alarmName, severity, eventTime: at };
}

/** The failures still standing before the drill, as one incident the circuit model sees. */
function standing(current: CurrentState, now: number): IncidentView {
  return {
    id: 'INC-standing',
    kind: 'unclassified',
    state: 'open',
    openedAt: iso(now),
    clearedAt: null,
    spans: current.failed.spans,
    nodes: current.failed.nodes,
    sites: [],
    accessLinks: [],
    equipment: [],
    rootAlarmIds: [],
    alarmCount: 0,
    affectedCircuits: [],
    impacts: [],
    ticketId: null,
    mergedInto: null,
    awaitingCauseUntil: null,
    detail: {},
    impact: {
      spans: current.failed.spans,
      nodes: current.failed.nodes,
      access: [],
      equipment: [],
      circuits: [],
      touches: [],
      power: [],
    },
  };
}

export function predict(
  g: TopologyGraph,
  sc: Scenario,
  current: CurrentState | undefined,
  o: PredictOptions,
  now: number,
): Phase[] {
  const s = new VirtualTimeScheduler();
  advanceTo(s, now);
  // A served switch-failed circuit has its (internal) failed-switch mark back.
  const circuits = (current?.circuits ?? []).map((c) =>
    c.state === 'switch-failed' ? { ...c, switchFailed: true } : c,
  );
  const p = new Pipeline(
    g,
    s,
    { holdDownMs: o.holdDownMs, switchTimeoutMs: o.switchTimeoutMs, wtrMs: o.wtrMs, escalateAfterMs: 3_600_000 },
    { alarms: [], incidents: [], circuits, tickets: [] },
  );
  const states = new Map<string, CircuitState>();
  for (const c of g.circuits.keys()) states.set(c, p.protection.circuit(c)!.state);
  if (current && (current.failed.spans.length || current.failed.nodes.length)) {
    for (const c of p.protection.applyIncident(standing(current, now), now).circuits) states.set(c.id, c.state);
  }
  const incidents = new Map<string, IncidentView>();
  p.output$.subscribe((out) => {
    for (const c of out.circuits) states.set(c.id, c.state);
    for (const i of out.incidents) incidents.set(i.id, i);
  });
  const kinds = () => [...incidents.values()].filter((i) => !i.mergedInto && i.state === 'open').map((i) => i.kind);
  const phases: Phase[] = [];
  const snap = (name: PhaseName, at: number) => {
    advanceTo(s, now + at);
    phases.push({ name, at, states: Object.fromEntries(states), incidents: kinds() });
  };
  for (const n of sc.raise) p.push(toEvent(n, now));
  const decided = o.holdDownMs + 500;
  snap('after the hold-down', decided);
  const waiting = () => [...states.values()].some((st) => st === 'switch-required');
  const repairAt = o.durationMs ?? Infinity;
  if (waiting() && decided + o.switchTimeoutMs < repairAt)
    snap('after the switch timeout', decided + o.switchTimeoutMs);
  if (o.durationMs !== undefined) {
    advanceTo(s, now + Math.max(o.durationMs, phases[phases.length - 1].at));
    const t = s.now();
    for (const n of sc.clear) p.push(toEvent(n, t));
    snap('after the repair', t - now + 500);
    if ([...states.values()].some((st) => st === 'wtr')) snap('after the WTR', t - now + 500 + o.wtrMs);
  }
  p.close();
  return phases;
}

/** "6 switch-required (CKT-0001, CKT-0003, …), 1 down (CKT-0016)": circuits not ok, by state. */
export function describeStates(states: Record<string, CircuitState>, max = 8): string {
  const by = new Map<CircuitState, string[]>();
  for (const [id, st] of Object.entries(states)) if (st !== 'ok') by.set(st, [...(by.get(st) ?? []), id]);
  if (!by.size) return 'all ok';
  return [...by]
    .map(([st, ids]) => `${ids.length} ${st} (${ids.slice(0, max).join(', ')}${ids.length > max ? ', …' : ''})`)
    .join('; ');
}

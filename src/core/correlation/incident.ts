// The correlator's incident record and its outside view. Pure.
import { iso, type CircuitImpact, type Impact, type IncidentKind, type IncidentView } from '../model.js';

export interface Incident {
  n: number;
  id: string;
  kind: IncidentKind;
  /** Identity of the fault while it is open, e.g. `span:S-A1-A2`. */
  anchor: string;
  state: 'open' | 'cleared';
  openedAt: number;
  clearedAt: number | null;
  spans: Set<string>;
  nodes: Set<string>;
  sites: Set<string>;
  accessLinks: Set<string>;
  equipment: Set<string>;
  roots: Set<string>;
  alarms: Set<string>;
  /** Resource keys it explains while open. */
  explains: Set<string>;
  /** What it takes out of service, for the circuit model: only ever grows while open. */
  impact: Impact;
  detail: Record<string, unknown>;
  affectedCircuits: string[];
  /** What it does to each of those circuits (set by the protection stage). */
  impacts: CircuitImpact[];
  ticketId: string | null;
  mergedInto: string | null;
  /** Made of consequent alarms only: no ticket until this time (orphan grace), if still unexplained. */
  awaitingCauseUntil: number | null;
  /** A root-candidate alarm has joined (it is not only symptoms). */
  causeSeen: boolean;
}

/** The persisted/served view, plus what the correlator needs to rebuild itself. */
export type StoredIncident = IncidentView & { anchor?: string; explains?: string[] };

export const emptyImpact = (): Impact => ({
  spans: [],
  nodes: [],
  access: [],
  equipment: [],
  circuits: [],
  touches: [],
  power: [],
});

export function incidentView(i: Incident): IncidentView & { anchor: string; explains: string[] } {
  return {
    id: i.id,
    kind: i.kind,
    state: i.state,
    openedAt: iso(i.openedAt),
    clearedAt: i.clearedAt != null ? iso(i.clearedAt) : null,
    spans: [...i.spans],
    nodes: [...i.nodes],
    sites: [...i.sites],
    accessLinks: [...i.accessLinks],
    equipment: [...i.equipment],
    rootAlarmIds: [...i.roots],
    alarmCount: i.alarms.size,
    affectedCircuits: i.affectedCircuits,
    impacts: i.impacts,
    ticketId: i.ticketId,
    mergedInto: i.mergedInto,
    awaitingCauseUntil: i.awaitingCauseUntil != null ? iso(i.awaitingCauseUntil) : null,
    detail: { ...i.detail },
    impact: i.impact,
    anchor: i.anchor,
    explains: [...i.explains],
  };
}

export function fromView(v: StoredIncident): Incident {
  const legacyMerged = typeof v.detail.mergedInto === 'string' ? v.detail.mergedInto : null;
  return {
    n: Number(v.id.slice(v.id.lastIndexOf('-') + 1)),
    id: v.id,
    kind: v.kind,
    anchor: v.anchor ?? `${v.kind}:${v.id}`,
    state: v.state,
    openedAt: Date.parse(v.openedAt),
    clearedAt: v.clearedAt ? Date.parse(v.clearedAt) : null,
    spans: new Set(v.spans),
    nodes: new Set(v.nodes),
    sites: new Set(v.sites),
    accessLinks: new Set(v.accessLinks),
    equipment: new Set(v.equipment),
    roots: new Set(v.rootAlarmIds),
    alarms: new Set(),
    explains: new Set(v.explains ?? []),
    impact: { ...emptyImpact(), ...v.impact },
    detail: v.detail,
    affectedCircuits: v.affectedCircuits,
    impacts: v.impacts ?? [],
    ticketId: v.ticketId,
    mergedInto: v.mergedInto ?? legacyMerged,
    awaitingCauseUntil: v.awaitingCauseUntil ? Date.parse(v.awaitingCauseUntil) : null,
    causeSeen: false,
  };
}

function union(into: string[], more: readonly string[] | undefined): string[] {
  if (!more?.length) return into;
  const s = new Set(into);
  for (const m of more) s.add(m);
  return s.size === into.length ? into : [...s];
}

/** Adds failed resources to an impact (never removes one). */
export function growImpact(im: Impact, more: Partial<Impact>, withTouches = true): void {
  im.spans = union(im.spans, more.spans);
  im.nodes = union(im.nodes, more.nodes);
  im.access = union(im.access, more.access);
  im.equipment = union(im.equipment, more.equipment);
  im.circuits = union(im.circuits, more.circuits);
  if (withTouches) im.touches = union(im.touches, more.touches);
  for (const p of more.power ?? []) if (!im.power.some((x) => x.site === p.site)) im.power.push(p);
}

export function unionInto(into: string[], more: readonly string[]): string[] {
  return union(into, more);
}

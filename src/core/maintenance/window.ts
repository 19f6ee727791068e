// Planned works (割接) windows: the shapes (contract 2 §8). Pure types and the state of a
// window at a time.
import { iso } from '../model.js';

export const TARGET_KINDS = ['spans', 'nodes', 'sites', 'circuits', 'accessLinks', 'equipment'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export type Targets = Partial<Record<TargetKind, string[]>>;

export const WINDOW_STATES = ['scheduled', 'active', 'ended'] as const;
export type WindowState = (typeof WINDOW_STATES)[number];

/** What a window left behind when it ended. */
export interface WindowReport {
  endedAt: string;
  /** Incidents that opened inside the window (planned). */
  incidents: string[];
  /** Those still open when it ended: their tickets became normal ones ("planned work overran"). */
  overran: string[];
  /** Circuits of the works still carried on their protection path when it ended. */
  circuitsOnProtection: string[];
}

export interface MaintenanceWindow {
  id: string;
  targets: Targets;
  /** ms */
  from: number;
  to: number;
  reason: string;
  by: string;
  reference: string | null;
  createdAt: number;
  /** Ended early (DELETE) or at `to`; null while it has not ended. */
  endedAt: number | null;
  endedBy: string | null;
  /** Circuits the works would take down, as seen when it was created. */
  circuitsAtRisk: string[];
  report: WindowReport | null;
}

export interface MaintenanceView {
  id: string;
  targets: Targets;
  from: string;
  to: string;
  reason: string;
  by: string;
  reference: string | null;
  state: WindowState;
  circuitsAtRisk: string[];
  createdAt: string;
  endedAt: string | null;
  endedBy: string | null;
  report: WindowReport | null;
}

export function stateAt(w: Pick<MaintenanceWindow, 'from' | 'to' | 'endedAt'>, now: number): WindowState {
  if (w.endedAt != null || now >= w.to) return 'ended';
  return now >= w.from ? 'active' : 'scheduled';
}

export function windowView(w: MaintenanceWindow, now: number): MaintenanceView {
  return {
    id: w.id,
    targets: w.targets,
    from: iso(w.from),
    to: iso(w.to),
    reason: w.reason,
    by: w.by,
    reference: w.reference,
    state: stateAt(w, now),
    circuitsAtRisk: w.circuitsAtRisk,
    createdAt: iso(w.createdAt),
    endedAt: w.endedAt != null ? iso(w.endedAt) : null,
    endedBy: w.endedBy,
    report: w.report,
  };
}

/** A stored view back to the record (restart). */
export function fromView(v: MaintenanceView): MaintenanceWindow {
  return {
    id: v.id,
    targets: v.targets,
    from: Date.parse(v.from),
    to: Date.parse(v.to),
    reason: v.reason,
    by: v.by,
    reference: v.reference,
    createdAt: Date.parse(v.createdAt),
    endedAt: v.endedAt ? Date.parse(v.endedAt) : null,
    endedBy: v.endedBy,
    circuitsAtRisk: v.circuitsAtRisk,
    report: v.report,
  };
}

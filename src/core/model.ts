// The shapes the outside sees (contract section 7). Pure types.
import type { Severity } from './alarms/catalogue.js';
import type { ImpactKind } from '../shared/impact-words.js';

export { IMPACT_KINDS, type ImpactKind } from '../shared/impact-words.js';

/** What one incident does to one circuit (contract 2, section 7). */
export interface CircuitImpact {
  circuit: string;
  customer: string;
  priority: 'vip' | 'high' | 'normal';
  impact: ImpactKind;
}

export const INCIDENT_KINDS = [
  'span-cut',
  'node-failure',
  'site-power-failure',
  'access-fiber-cut',
  'cpe-failure',
  'e1-tributary-fault',
  'customer-equipment-fault',
  'equipment-fault',
  'unclassified',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const CIRCUIT_STATES = [
  'ok',
  'switch-required',
  'on-protection',
  'switch-failed',
  'down',
  'wtr',
  'at-risk',
] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export interface AlarmView {
  id: string;
  node: string;
  object: string;
  type: string;
  vendorName: string;
  severity: Severity;
  state: 'active' | 'cleared';
  raisedAt: string;
  clearedAt: string | null;
  count: number;
  incidentId: string | null;
  suppressed: boolean;
  flapping: boolean;
  text?: string;
  clearedBy?: 'resync';
  /** While the alarm waits in hold-down: when it is decided (processing time). */
  holdDownUntil?: string;
  /** Who acknowledged the alarm, and when (contract 2 §8); null until then. */
  ackBy?: string | null;
  ackAt?: string | null;
}

/** What an incident takes out of service, used by the protection engine. */
export interface Impact {
  spans: string[];
  nodes: string[];
  access: string[];
  equipment: string[];
  /** Circuits put down directly (2M/customer equipment faults). */
  circuits: string[];
  /** Circuits the incident touches without failing them (unclassified). */
  touches: string[];
  /** Sites on battery: power-fail time and when the battery runs out (ms). */
  power: Array<{ site: string; since: number; until: number | null }>;
}

export interface IncidentView {
  /** The planned-works window all its root resources lie in (contract 2 §8), null if none. */
  maintenance?: string | null;
  id: string;
  kind: IncidentKind;
  state: 'open' | 'cleared';
  openedAt: string;
  clearedAt: string | null;
  spans: string[];
  nodes: string[];
  sites: string[];
  accessLinks: string[];
  equipment: string[];
  rootAlarmIds: string[];
  alarmCount: number;
  /** The circuits this incident's failures touch, with what they do to each (same circuits as affectedCircuits). */
  impacts: CircuitImpact[];
  affectedCircuits: string[];
  ticketId: string | null;
  /** The incident this one was merged into (a partial reading of the same fault), or null. */
  mergedInto?: string | null;
  /** Made of consequent alarms only and still unexplained: its ticket waits until then (orphan grace). */
  awaitingCauseUntil?: string | null;
  detail: Record<string, unknown>;
  impact: Impact;
}

export interface CircuitView {
  /** Hit only by planned works: the window (shown as planned; its state stays true). */
  maintenance?: string | null;
  id: string;
  customer: string;
  priority: 'vip' | 'high' | 'normal';
  protection: 'ms-spring' | 'sncp' | 'none';
  state: CircuitState;
  activePath: 'working' | 'protection';
  protectionAvailable: boolean;
  incidentIds: string[];
  confirmedBy: string | null;
  workingRestored: boolean;
  atRiskUntil: string | null;
  since: string;
  /** Deadline of the running timer (switch timeout or WTR), ISO. */
  timerDue: string | null;
  /** The path a switch is required towards (switch-required/switch-failed), else null. */
  switchTo?: 'working' | 'protection' | null;
  note?: string | null;
  /** Internal, kept for a restart (not served): a failed switch and when it was reported. */
  switchFailed?: boolean;
  switchFailedAt?: string | null;
  /** Internal: the working path failed since the circuit went to protection. */
  workingFailedSeen?: boolean;
}

export const TICKET_STATES = ['open', 'acknowledged', 'resolved', 'closed'] as const;
export type TicketState = (typeof TICKET_STATES)[number];
export const TICKET_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export interface Escalation {
  level: 1 | 2 | 3;
  group: 'duty' | 'implementation' | 'leadership';
  reason: string;
}

/** What a ticket's journal records (contract 2 §7: every change and human action, in order). */
export const JOURNAL_ACTIONS = [
  'created',
  'priority',
  'impact',
  'kind',
  'escalated',
  'acknowledged',
  'note',
  'switchover',
  'notified',
  'resolved',
  'reopened',
  'closed',
  'planned',
  'overran',
] as const;
export type JournalAction = (typeof JOURNAL_ACTIONS)[number];

export interface JournalEntry {
  at: string;
  /** A person for human actions, `ringguard` for what the service did. */
  by: string;
  action: JournalAction;
  text?: string;
}

export interface TicketView {
  id: string;
  seq: number;
  incidentId: string;
  kind: IncidentKind;
  title: string;
  priority: TicketPriority;
  state: TicketState;
  /** The impacts of its incident; its priority and title come from them. */
  impacts: CircuitImpact[];
  affectedCircuits: string[];
  customers: string[];
  runbook: Array<{ step: number; text: string }>;
  escalation: Escalation;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  ackBy: string | null;
  ackAt: string | null;
  closedBy: string | null;
  closeNote?: string | null;
  /** Opened inside a planned-works window: pages nobody, not escalated (contract 2 §8). */
  planned: boolean;
  /** The planned-works window it was opened under (kept once it overran), null if none. */
  maintenance?: string | null;
  /** Its window ended with the fault still open: "割接超时未恢复" / "planned work overran". */
  overran?: boolean;
  journal: JournalEntry[];
  /** Title in both languages; `title`/`runbook` are localised when served. */
  titles: { 'zh-CN': string; en: string };
  /** When the escalation timer next fires (ms), null when not running. */
  escalateAt: number | null;
}

/** ISO 8601 of a time in ms. The last one is remembered: a burst formats the same instant thousands of times. */
let lastMs = NaN;
let lastIso = '';
export const iso = (ms: number): string => {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
};

// The API shapes as the page reads them (contract 2, section 7-8). Fields added by contract 2
// are optional: the page shows them when the service sends them and degrades when it does not.

export type Priority = 'P1' | 'P2' | 'P3' | 'P4';
export type ImpactKind = 'down' | 'switch-failed' | 'switch-required' | 'switched' | 'protection-lost' | 'at-risk';

export interface Alarm {
  id: string;
  node: string;
  object: string;
  type: string;
  vendorName: string;
  state: string;
  severity: string;
  suppressed: boolean;
  incidentId: string | null;
  raisedAt: string;
  ackBy?: string | null;
  ackAt?: string | null;
}

export interface CircuitImpact {
  circuit: string;
  customer: string;
  priority: string;
  impact: ImpactKind;
}

export interface Incident {
  id: string;
  kind: string;
  state: string;
  openedAt: string;
  clearedAt: string | null;
  spans: string[];
  nodes: string[];
  sites: string[];
  accessLinks: string[];
  equipment: string[];
  alarmCount: number;
  affectedCircuits: string[];
  ticketId: string | null;
  detail: Record<string, unknown>;
  impacts?: CircuitImpact[];
  maintenance?: string | null;
  mergedInto?: string | null;
  alarms?: Alarm[];
}

export interface Circuit {
  id: string;
  customer: string;
  priority: string;
  protection: string;
  state: string;
  activePath: 'working' | 'protection';
  protectionAvailable: boolean;
  incidentIds: string[];
  confirmedBy: string | null;
  workingRestored: boolean;
  atRiskUntil: string | null;
  timerDue?: string | null;
  /** The path a required switch goes to (contract 2). */
  switchTo?: 'working' | 'protection' | null;
}

export interface Drop {
  node: string;
  port: string;
  channel?: number;
}
export interface Route {
  a: Drop;
  z: Drop;
  working: string[];
  protect: string[];
  access: string[];
  equipment: string[];
}

export interface JournalEntry {
  at: string;
  by?: string | null;
  action: string;
  text?: string | null;
}
export type Contact = string | { id?: string; name?: string; phone?: string; mobile?: string; email?: string };

export interface Ticket {
  id: string;
  incidentId: string;
  kind: string;
  title: string;
  priority: Priority;
  state: string;
  affectedCircuits: string[];
  customers: string[];
  runbook: Array<{ step: number; text: string }>;
  escalation: { level: number; group: string; reason: string };
  createdAt: string;
  updatedAt: string;
  ackBy: string | null;
  closedBy: string | null;
  impacts?: CircuitImpact[];
  planned?: boolean;
  journal?: JournalEntry[];
  contacts?: Contact[];
}

/** GET /api/v1/duty: who is on duty now in each group. */
export interface Duty {
  at: string;
  roster: boolean;
  groups: Partial<
    Record<'duty' | 'implementation' | 'leadership', { level: number; shift: string | null; people: Contact[] }>
  >;
}

export interface Topo {
  network: string;
  rings: Array<{ id: string; name: string | null; protection: string; spans: string[]; nodes: string[] }>;
  nodes: Array<{ id: string; site: string | null; rings: string[] }>;
  spans: Array<{
    id: string;
    a: { node: string; port: string };
    z: { node: string; port: string };
    ring: string | null;
    cable?: string | null;
    km?: number | null;
  }>;
  sites: Array<{ id: string; name: string | null; batteryMinutes?: number | null }>;
  accessLinks?: Array<{ id: string; node: string; port: string; cpe: string; cable?: string }>;
  equipment?: Array<{ id: string; kind: string }>;
}

export type Permission = 'read' | 'ack' | 'close' | 'switchover' | 'note' | string;
export interface WhoAmI {
  auth: boolean;
  role: string | null;
  permissions: Permission[];
}

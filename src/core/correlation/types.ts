// Shared types of the correlation rules. Pure.
import type { Impact, IncidentKind } from '../model.js';
import type { Detail } from './detail.js';
import type { TopologyGraph } from '../topology/graph.js';

export type { Alarm } from '../alarms/ledger.js';
import type { Alarm } from '../alarms/ledger.js';

/**
 * The one constructor of resource keys (what incidents explain, so symptoms find their cause by
 * lookup) and of anchors (a fault's identity while it is open).
 */
export const R = {
  span: (id: string) => `span:${id}`,
  node: (id: string) => `node:${id}`,
  access: (id: string) => `access:${id}`,
  eq: (id: string) => `eq:${id}`,
  ckt: (id: string) => `ckt:${id}`,
  site: (id: string) => `site:${id}`,
  degraded: (span: string) => `degraded:${span}`,
  cpe: (id: string) => `cpe:${id}`,
  board: (node: string) => `hw:${node}`,
  customer: (id: string) => `cust:${id}`,
  e1: (circuit: string) => `e1:${circuit}`,
  power: (siteOrNode: string) => `power:${siteOrNode}`,
  unclassified: (node: string) => `unclassified:${node}`,
  mgmt: (node: string) => `mgmt:${node}`,
};

interface HypothesisBase {
  /** Identity of the fault while it is open, e.g. `span:S-A1-A2`. */
  anchor: string;
  /** Whether the triggering alarm is a root of this incident (false: it is a symptom). */
  root: boolean;
  /** Other alarms this decision takes along (decided now, even if still in hold-down). */
  related: Array<{ alarm: Alarm; root: boolean }>;
  /**
   * Related alarms marked `root: false` become symptoms even where they were roots before
   * (a cable cut turned out to be a failed board).
   */
  demotes?: boolean;
  /** Open incidents with these anchors are merged into this one (evidence grew). */
  absorbs?: string[];
  location: { spans?: string[]; nodes?: string[]; sites?: string[]; accessLinks?: string[]; equipment?: string[] };
  /** Resource keys this incident explains (consequent alarms on them are suppressed). */
  explains: string[];
  impact: Partial<Impact>;
}

/** A rule's reading of an alarm: an incident kind with the detail that kind carries. */
export type Hypothesis = {
  [K in IncidentKind]: HypothesisBase & { kind: K; detail: Partial<Detail<K>> };
}[IncidentKind];

export interface RuleContext {
  graph: TopologyGraph;
  holdDownMs: number;
  /** Active alarm at an exact key, or undefined. */
  active(node: string, object: string, type: string): Alarm | undefined;
  /**
   * Evidence at an exact key: the active alarm, or one still in its hold-down even if it has
   * cleared meanwhile (a blip shorter than the hold-down is still a sibling).
   */
  evidence(node: string, object: string, type: string): Alarm | undefined;
  /** The latest event time at which a node raised an alarm of its own (it was alive then). */
  lastHeard(node: string): number | undefined;
  /** Active alarms of a type anywhere on a node/equipment. */
  activeOn(node: string, type: string): readonly Alarm[];
  /** The open incident registered for a resource key or anchor, if any (first registered). */
  openIncidentFor(resourceKey: string): IncidentRef | undefined;
  /** The open incident that explains this alarm as a symptom (signal flow, path, place), if any. */
  explain(a: Alarm): IncidentRef | undefined;
}

export interface IncidentRef {
  id: string;
  kind: IncidentKind;
  anchor: string;
  detail: Record<string, unknown>;
}

export interface Rule {
  kind: IncidentKind;
  /** Alarm types this rule may classify as a root. */
  triggers: readonly string[];
  match(a: Alarm, ctx: RuleContext): Hypothesis | undefined;
}

export const LOSS = ['LOS', 'LOF'] as const;

/** Loss-of-signal evidence (LOS, then LOF) at a port, including a blip still in hold-down. */
export function lossAt(ctx: RuleContext, node: string, port: string): Alarm | undefined {
  return ctx.evidence(node, port, 'LOS') ?? ctx.evidence(node, port, 'LOF');
}

/** The symptom joins the open incident that explains it. */
export function explainedBy(a: Alarm, ctx: RuleContext): Hypothesis | undefined {
  const inc = ctx.explain(a);
  return (
    inc && {
      kind: inc.kind,
      anchor: inc.anchor,
      root: false,
      related: [],
      location: {},
      explains: [],
      impact: {},
      detail: {},
    }
  );
}

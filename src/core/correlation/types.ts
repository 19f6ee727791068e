// Shared types of the correlation rules. Pure.
import type { Impact, IncidentKind } from '../model.js';
import type { TopologyGraph } from '../topology/graph.js';

export type { Alarm } from '../alarms/ledger.js';
import type { Alarm } from '../alarms/ledger.js';

/** Resource keys that incidents register, so symptoms find their cause by lookup. */
export const R = {
  span: (id: string) => `span:${id}`,
  node: (id: string) => `node:${id}`,
  access: (id: string) => `access:${id}`,
  eq: (id: string) => `eq:${id}`,
  ckt: (id: string) => `ckt:${id}`,
  site: (id: string) => `site:${id}`,
};

export interface Hypothesis {
  kind: IncidentKind;
  /** Identity of the fault while it is open, e.g. `span:S-A1-A2`. */
  anchor: string;
  /** Whether the triggering alarm is a root of this incident (false: it is a symptom). */
  root: boolean;
  /** Other alarms this decision takes along (decided now, even if still in hold-down). */
  related: Array<{ alarm: Alarm; root: boolean }>;
  /** Open incidents with these anchors are merged into this one (evidence grew). */
  absorbs?: string[];
  location: { spans?: string[]; nodes?: string[]; sites?: string[]; accessLinks?: string[]; equipment?: string[] };
  /** Resource keys this incident explains (consequent alarms on them are suppressed). */
  explains: string[];
  impact: Partial<Impact>;
  detail: Record<string, unknown>;
}

export interface RuleContext {
  graph: TopologyGraph;
  holdDownMs: number;
  /** Active alarm at an exact key, or undefined. */
  active(node: string, object: string, type: string): Alarm | undefined;
  /** Active alarms of a type anywhere on a node/equipment. */
  activeOn(node: string, type: string): readonly Alarm[];
  /** The open incident registered for a resource key or anchor, if any (first registered). */
  openIncidentFor(resourceKey: string): { id: string; kind: IncidentKind; anchor: string; detail: Record<string, unknown> } | undefined;
  /** Resource keys a symptom at this alarm's place could be caused by, nearest first. */
  causesOf(a: Alarm): string[];
}

export interface Rule {
  kind: IncidentKind;
  /** Alarm types this rule may classify as a root. */
  triggers: readonly string[];
  match(a: Alarm, ctx: RuleContext): Hypothesis | undefined;
}

export const LOSS = ['LOS', 'LOF'] as const;

/** First active loss-of-signal alarm (LOS, then LOF) at a port. */
export function lossAt(ctx: RuleContext, node: string, port: string): Alarm | undefined {
  return ctx.active(node, port, 'LOS') ?? ctx.active(node, port, 'LOF');
}

/** Symptom explained by an open incident among the alarm's possible causes. */
export function explainedBy(a: Alarm, ctx: RuleContext): Hypothesis | undefined {
  for (const key of ctx.causesOf(a)) {
    const inc = ctx.openIncidentFor(key);
    if (inc) {
      return { kind: inc.kind, anchor: inc.anchor, root: false, related: [], location: {}, explains: [], impact: {}, detail: {} };
    }
  }
  return undefined;
}

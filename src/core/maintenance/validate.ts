// Validation of a planned-works window against the topology: every unknown target named with
// its path, `to` after `from`, no longer than the configured maximum. Pure.
import type { TopologyGraph } from '../topology/graph.js';
import { TARGET_KINDS, type TargetKind, type Targets } from './window.js';

export interface Issue {
  field: string;
  message: string;
}

const WHAT: Record<TargetKind, [string, (g: TopologyGraph) => ReadonlyMap<string, unknown>]> = {
  spans: ['span', (g) => g.spans],
  nodes: ['node', (g) => g.nodes],
  sites: ['site', (g) => g.sites],
  circuits: ['circuit', (g) => g.circuits],
  accessLinks: ['access link', (g) => g.accessLinks],
  equipment: ['equipment', (g) => g.equipment],
};

/** `prefix` is where the window sits in the input (`body`, `works[2]`). */
export function validateWindow(
  g: TopologyGraph,
  w: { targets: Targets; from: number; to: number },
  maxMs: number,
  prefix: string,
): Issue[] {
  const issues: Issue[] = [];
  let named = 0;
  for (const kind of TARGET_KINDS) {
    const [what, map] = WHAT[kind];
    (w.targets[kind] ?? []).forEach((id, i) => {
      named++;
      if (!map(g).has(id))
        issues.push({ field: `${prefix}.targets.${kind}[${i}]`, message: `${what} "${id}" does not exist` });
    });
  }
  if (!named)
    issues.push({
      field: `${prefix}.targets`,
      message: `names nothing: give at least one of ${TARGET_KINDS.join(', ')}`,
    });
  if (w.to <= w.from) issues.push({ field: `${prefix}.to`, message: 'must be after from' });
  else if (w.to - w.from > maxMs) {
    issues.push({
      field: `${prefix}.to`,
      message: `the window is ${hours(w.to - w.from)} long; the maximum is ${hours(maxMs)} (--maintenance-max-ms)`,
    });
  }
  return issues;
}

const hours = (ms: number) => `${Math.round((ms / 3_600_000) * 10) / 10} h`;

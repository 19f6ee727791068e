// Topology reload (SIGHUP, POST /api/v1/topology/reload): what a new topology file changes,
// decided before anything is touched. The service applies the plan in one synchronous turn.
import { loadTopologyFile } from './adapters/files/topology-file.js';
import { resyncClear, type AlarmEvent } from './core/alarms/events.js';
import type { TopologyGraph } from './core/topology/graph.js';
import { formatProblemWithId } from './core/topology/validate.js';

/** Ids that the new topology adds or drops, per kind. */
export interface TopologyDiff {
  added: Record<DiffKind, string[]>;
  removed: Record<DiffKind, string[]>;
}

const KINDS = ['nodes', 'spans', 'rings', 'circuits', 'accessLinks', 'equipment', 'sites'] as const;
type DiffKind = (typeof KINDS)[number];

export type ReloadResult = ({ ok: true; summary: string } & TopologyDiff) | { ok: false; problems: string[] };

export type ReloadPlan =
  | {
      ok: true;
      graph: TopologyGraph;
      diff: TopologyDiff;
      /** Clears for the active alarms of nodes and equipment that left the topology. */
      clears(ledger: ActiveAlarms, now: number): AlarmEvent[];
    }
  | { ok: false; problems: string[] };

interface ActiveAlarms {
  activeOfNode(node: string): Array<{ object: string; type: string; vendorName: string }>;
}

/**
 * Reads and validates `file`; `check` runs what else depends on the topology (mapping rules)
 * and throws to refuse it. A refusal is one line per problem, and nothing has changed.
 */
export function planReload(file: string, current: TopologyGraph, check: (g: TopologyGraph) => void): ReloadPlan {
  const r = loadTopologyFile(file);
  if (!r.ok) return { ok: false, problems: r.problems.map(formatProblemWithId) };
  try {
    check(r.graph);
  } catch (e) {
    return { ok: false, problems: (e as Error).message.split('\n') };
  }
  const next = r.graph;
  const diff = diffTopology(current, next);
  const gone = [...diff.removed.nodes, ...diff.removed.equipment].filter(
    (id) => !next.nodes.has(id) && !next.equipment.has(id),
  );
  return {
    ok: true,
    graph: next,
    diff,
    clears: (ledger, now) =>
      gone.flatMap((node) =>
        ledger.activeOfNode(node).map((a) => resyncClear(node, a, now, { text: 'removed from the topology' })),
      ),
  };
}

export function diffTopology(before: TopologyGraph, after: TopologyGraph): TopologyDiff {
  const diff: TopologyDiff = { added: {} as TopologyDiff['added'], removed: {} as TopologyDiff['removed'] };
  for (const k of KINDS) {
    const a: ReadonlyMap<string, unknown> = before[k];
    const b: ReadonlyMap<string, unknown> = after[k];
    diff.added[k] = [...b.keys()].filter((id) => !a.has(id));
    diff.removed[k] = [...a.keys()].filter((id) => !b.has(id));
  }
  return diff;
}

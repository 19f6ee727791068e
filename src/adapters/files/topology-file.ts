// Reads a topology file (YAML or JSON) from disk and validates it.
import { readDocument } from './document.js';
import { TopologyGraph } from '../../core/topology/graph.js';
import { formatProblemWithId, parseTopology, type TopologyProblem } from '../../core/topology/validate.js';

export type LoadResult = { ok: true; graph: TopologyGraph } | { ok: false; problems: TopologyProblem[] };

export function loadTopologyFile(file: string): LoadResult {
  const d = readDocument(file, { fast: true });
  if (!d.ok) return d;
  const r = parseTopology(d.doc);
  return r.ok ? { ok: true, graph: new TopologyGraph(r.topology, r.ids) } : r;
}

export class TopologyError extends Error {
  constructor(readonly problems: TopologyProblem[]) {
    super(problems.map(formatProblemWithId).join('\n'));
  }
}

export function loadTopologyOrThrow(file: string): TopologyGraph {
  const r = loadTopologyFile(file);
  if (!r.ok) throw new TopologyError(r.problems);
  return r.graph;
}

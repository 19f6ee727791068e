// Reads a topology file (YAML or JSON) from disk and validates it.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { TopologyGraph } from '../../core/topology/graph.js';
import { parseTopology, type TopologyProblem } from '../../core/topology/validate.js';

export type LoadResult =
  | { ok: true; graph: TopologyGraph }
  | { ok: false; problems: TopologyProblem[] };

export function loadTopologyFile(file: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, problems: [{ path: file, message: `cannot read file: ${(e as Error).message}` }] };
  }
  let doc: unknown;
  try {
    doc = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, problems: [{ path: file, message: `not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}` }] };
  }
  const r = parseTopology(doc);
  return r.ok ? { ok: true, graph: new TopologyGraph(r.topology) } : r;
}

export class TopologyError extends Error {
  constructor(readonly problems: TopologyProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
}

export function loadTopologyOrThrow(file: string): TopologyGraph {
  const r = loadTopologyFile(file);
  if (!r.ok) throw new TopologyError(r.problems);
  return r.graph;
}

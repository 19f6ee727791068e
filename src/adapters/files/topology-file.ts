// Reads a topology file (YAML or JSON) from disk and validates it.
import { stringify } from 'yaml';
import { readDocument } from './document.js';
import { importInventoryCsv } from './inventory-csv.js';
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

export type ImportResult = { ok: true; yaml: string; summary: string } | { ok: false; problems: string[] };

/**
 * A CSV inventory export as a topology file: YAML with one element per line (as the demo
 * network), validated like any topology file before it is written.
 */
export function importTopologyCsv(dir: string, network?: string): ImportResult {
  const r = importInventoryCsv(dir, network);
  if (!r.ok) return r;
  const t = parseTopology(r.doc);
  if (!t.ok) return { ok: false, problems: t.problems.map(formatProblemWithId) };
  const lines = [`# Imported from the CSV inventory export in ${dir} (ringguard topology import).`];
  for (const [key, value] of Object.entries(r.doc)) {
    if (!Array.isArray(value)) lines.push(`${key}: ${stringify(value).trim()}`);
    else if (!value.length) continue;
    else {
      lines.push(`${key}:`);
      for (const el of value) lines.push(`  - ${stringify(el, { collectionStyle: 'flow', lineWidth: 0 }).trim()}`);
    }
  }
  return { ok: true, yaml: lines.join('\n') + '\n', summary: new TopologyGraph(t.topology, t.ids).summary() };
}

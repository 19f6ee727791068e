// "Is this incident's root inside an active window?" What a window's works cover, and which
// window (if any) covers all of an incident's root resources. Pure.
import type { IncidentView } from '../model.js';
import type { TopologyGraph } from '../topology/graph.js';
import type { Targets } from './window.js';

/** The resources the works touch, with what they imply (a node's spans and drops, a site's nodes). */
export interface Coverage {
  spans: Set<string>;
  nodes: Set<string>;
  sites: Set<string>;
  accessLinks: Set<string>;
  equipment: Set<string>;
  circuits: Set<string>;
}

/**
 * A site covers its nodes; a node covers its spans, its access links and the circuits dropped
 * there (their 2M faults); a circuit covers its access links and customer equipment; an access
 * link covers its customer unit.
 */
export function coverage(g: TopologyGraph, t: Targets): Coverage {
  const c: Coverage = {
    spans: new Set(t.spans),
    nodes: new Set(t.nodes),
    sites: new Set(t.sites),
    accessLinks: new Set(t.accessLinks),
    equipment: new Set(t.equipment),
    circuits: new Set(t.circuits),
  };
  for (const s of c.sites) for (const n of g.nodesOfSite(s)) c.nodes.add(n);
  for (const n of c.nodes) {
    for (const s of g.spansOfNode(n)) c.spans.add(s);
    for (const k of g.circuitsAtNode(n).endpoint) c.circuits.add(k);
  }
  for (const a of g.accessLinks.values()) if (c.nodes.has(a.node)) c.accessLinks.add(a.id);
  for (const k of c.circuits) {
    const ckt = g.circuits.get(k);
    for (const a of ckt?.access ?? []) c.accessLinks.add(a);
    for (const e of ckt?.equipment ?? []) c.equipment.add(e);
  }
  for (const a of c.accessLinks) {
    const cpe = g.accessLinks.get(a)?.cpe;
    if (cpe) c.equipment.add(cpe);
  }
  return c;
}

/**
 * The root resources of an incident: what its fault takes out of service (its impact: spans,
 * nodes, access links, equipment, circuits of 2M and customer faults, sites on battery). Its
 * location fields also name where that is (a span cut lists the span's end nodes), so they
 * are used only when the impact names nothing (an unclassified alarm on a node).
 */
function roots(inc: IncidentView): Array<[keyof Coverage, string]> {
  const i = inc.impact;
  const out: Array<[keyof Coverage, string]> = [];
  const add = (k: keyof Coverage, ids: readonly string[] | undefined) => {
    for (const id of ids ?? []) out.push([k, id]);
  };
  add('spans', i?.spans);
  add('nodes', i?.nodes);
  add('accessLinks', i?.access);
  add('equipment', i?.equipment);
  add('circuits', i?.circuits);
  add(
    'sites',
    i?.power?.map((p) => p.site),
  );
  if (out.length) return out;
  add('spans', inc.spans);
  add('nodes', inc.nodes);
  add('accessLinks', inc.accessLinks);
  add('equipment', inc.equipment);
  add('sites', inc.sites);
  return out;
}

/** The first window (in the order given) that covers all the incident's roots, or null. */
export function coveringWindow(inc: IncidentView, windows: Iterable<{ id: string; cover: Coverage }>): string | null {
  const r = roots(inc);
  if (!r.length) return null;
  for (const w of windows) if (r.every(([k, id]) => w.cover[k].has(id))) return w.id;
  return null;
}

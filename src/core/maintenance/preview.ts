// Pre-flight check of planned works: which circuits the cut would take down (unprotected,
// both paths in the works, or protection already failed) and which would switch. Pure: the
// circuits' current states are passed in.
import type { CircuitView } from '../model.js';
import type { TopologyGraph } from '../topology/graph.js';
import type { Circuit } from '../topology/schema.js';
import { coverage, type Coverage } from './cover.js';
import type { Targets } from './window.js';

export const OUTCOMES = ['down', 'switch', 'protection-lost'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface PreviewLine {
  circuit: string;
  customer: string;
  priority: CircuitView['priority'];
  protection: CircuitView['protection'];
  state: CircuitView['state'];
  outcome: Outcome;
  reason: string;
}

export interface Preview {
  /** Circuits the works would take down. */
  circuitsAtRisk: string[];
  /** The VIP ones among them. */
  vip: string[];
  /** Circuits that would switch to their other path. */
  switched: string[];
  circuits: PreviewLine[];
}

type Lookup = (id: string) => CircuitView | undefined;

function candidates(g: TopologyGraph, c: Coverage): Set<string> {
  const out = new Set(c.circuits);
  const add = (ids: Iterable<string>) => {
    for (const id of ids) out.add(id);
  };
  for (const s of c.spans) {
    add(g.circuitsOnSpan(s, 'working'));
    add(g.circuitsOnSpan(s, 'protect'));
  }
  for (const n of c.nodes) {
    const at = g.circuitsAtNode(n);
    add(at.endpoint);
    add(at.transitWorking);
    add(at.transitProtect);
  }
  for (const a of c.accessLinks) add(g.circuitsOfAccess(a));
  for (const e of c.equipment) add(g.circuitsOfEquipment(e));
  return out;
}

/** The circuit itself, an end node, its access or its customer equipment is in the works. */
function directHit(ckt: Circuit, c: Coverage, id: string): string | undefined {
  const end = [ckt.a.node, ckt.z.node].find((n) => c.nodes.has(n));
  if (end) return `its end node ${end} is in the works`;
  if (c.circuits.has(id)) return `circuit ${id} is in the works`;
  const acc = (ckt.access ?? []).find((a) => c.accessLinks.has(a));
  if (acc) return `its access link ${acc} is in the works`;
  const eq = (ckt.equipment ?? []).find((e) => c.equipment.has(e));
  return eq ? `its equipment ${eq} is in the works` : undefined;
}

/** What the works do to one circuit, or undefined when they do not touch it. */
function outcomeOf(
  g: TopologyGraph,
  c: Coverage,
  id: string,
  view: CircuitView,
): { outcome: Outcome; reason: string } | undefined {
  const ckt = g.circuits.get(id)!;
  const direct = directHit(ckt, c, id);
  if (direct) return { outcome: 'down', reason: direct };
  const paths = g.pathNodes(id);
  const hit = (spans: readonly string[] | undefined, nodes: readonly string[]) =>
    (spans ?? []).find((s) => c.spans.has(s)) ?? nodes.find((n) => c.nodes.has(n));
  const working = hit(ckt.working, paths.workingNodes);
  const protect = ckt.protect?.length ? hit(ckt.protect, paths.protectNodes) : undefined;
  const onProtection = view.activePath === 'protection';
  const active = onProtection ? protect : working;
  const other = onProtection ? working : protect;
  if (!active)
    return other
      ? { outcome: 'protection-lost', reason: `its ${onProtection ? 'working' : 'protection'} path crosses ${other}` }
      : undefined;
  if (ckt.protection === 'none' || !ckt.protect?.length)
    return { outcome: 'down', reason: `unprotected, crosses ${active}` };
  if (other) return { outcome: 'down', reason: `both paths are in the works (${active}, ${other})` };
  if (!view.protectionAvailable)
    return {
      outcome: 'down',
      reason: `crosses ${active} and its ${onProtection ? 'working' : 'protection'} path has already failed`,
    };
  return {
    outcome: 'switch',
    reason: `crosses ${active}; switches to its ${onProtection ? 'working' : 'protection'} path`,
  };
}

export function preview(g: TopologyGraph, targets: Targets, circuit: Lookup): Preview {
  const c = coverage(g, targets);
  const lines: PreviewLine[] = [];
  for (const id of [...candidates(g, c)].sort()) {
    const view = circuit(id);
    if (!view) continue;
    const o = outcomeOf(g, c, id, view);
    if (o)
      lines.push({
        circuit: id,
        customer: view.customer,
        priority: view.priority,
        protection: view.protection,
        state: view.state,
        ...o,
      });
  }
  const down = lines.filter((l) => l.outcome === 'down');
  return {
    circuitsAtRisk: down.map((l) => l.circuit),
    vip: down.filter((l) => l.priority === 'vip').map((l) => l.circuit),
    switched: lines.filter((l) => l.outcome === 'switch').map((l) => l.circuit),
    circuits: lines,
  };
}

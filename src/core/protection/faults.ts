// What is failed in the network, by resource, with the incidents that failed it: built from the
// incidents' impacts (contract: the correlator makes the impact right, protection consumes it).
// Every lookup is by resource id; nothing scans all incidents or circuits.
import type { Impact } from '../model.js';
import type { Circuit } from '../topology/schema.js';
import type { TopologyGraph } from '../topology/graph.js';

type Counted = Map<string, Set<string>>;

export function addTo(m: Counted, k: string, v: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}
export function delFrom(m: Counted, k: string, v: string): void {
  const s = m.get(k);
  if (s) {
    s.delete(v);
    if (!s.size) m.delete(k);
  }
}

export const EMPTY_IMPACT: Impact = {
  spans: [],
  nodes: [],
  access: [],
  equipment: [],
  circuits: [],
  touches: [],
  power: [],
};

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean =>
  a === b || (a.length === b.length && a.every((x, i) => x === b[i]));

/** Two impacts fail the same resources (compared field by field, nothing serialised). */
export function sameImpact(a: Impact, b: Impact): boolean {
  return (
    a === b ||
    (sameList(a.spans, b.spans) &&
      sameList(a.nodes, b.nodes) &&
      sameList(a.access, b.access) &&
      sameList(a.equipment, b.equipment) &&
      sameList(a.circuits, b.circuits) &&
      sameList(a.touches, b.touches) &&
      a.power.length === b.power.length &&
      a.power.every(
        (p, i) => p.site === b.power[i].site && p.since === b.power[i].since && p.until === b.power[i].until,
      ))
  );
}

const copyImpact = (im: Impact): Impact => ({
  spans: [...im.spans],
  nodes: [...im.nodes],
  access: [...im.access],
  equipment: [...im.equipment],
  circuits: [...im.circuits],
  touches: [...im.touches],
  power: im.power.map((p) => ({ ...p })),
});

/** Which of a circuit's resources an incident (or all incidents) failed. */
export interface CircuitHits {
  working: boolean;
  protect: boolean;
  /** Its endpoint node, access link, customer equipment or the circuit itself (2M, router). */
  endpoint: boolean;
  power: boolean;
  touches: boolean;
}

export class FaultIndex {
  private readonly spans: Counted = new Map();
  private readonly nodes: Counted = new Map();
  private readonly access: Counted = new Map();
  private readonly equipment: Counted = new Map();
  private readonly circuits: Counted = new Map();
  private readonly touched: Counted = new Map();
  /** node -> incident -> battery end (ms) or null when unknown. */
  private readonly powerNodes = new Map<string, Map<string, number | null>>();
  private readonly impacts = new Map<string, Impact>();

  constructor(private readonly graph: TopologyGraph) {}

  impactOf(incident: string): Impact {
    return this.impacts.get(incident) ?? EMPTY_IMPACT;
  }

  /** Replaces an incident's impact; adds to `touched` every circuit the old or new one reaches. */
  set(id: string, impact: Impact, touched: Set<string>): void {
    const old = this.impactOf(id);
    this.circuitsReached(old, touched);
    this.circuitsReached(impact, touched);
    const swap = (m: Counted, before: string[], after: string[]) => {
      for (const k of before) delFrom(m, k, id);
      for (const k of after) addTo(m, k, id);
    };
    swap(this.spans, old.spans, impact.spans);
    swap(this.nodes, old.nodes, impact.nodes);
    swap(this.access, old.access, impact.access);
    swap(this.equipment, old.equipment, impact.equipment);
    swap(this.circuits, old.circuits, impact.circuits);
    swap(this.touched, old.touches, impact.touches);
    for (const p of old.power)
      for (const n of this.siteNodes(p.site)) {
        const m = this.powerNodes.get(n);
        if (m) {
          m.delete(id);
          if (!m.size) this.powerNodes.delete(n);
        }
      }
    for (const p of impact.power)
      for (const n of this.siteNodes(p.site)) {
        let m = this.powerNodes.get(n);
        if (!m) this.powerNodes.set(n, (m = new Map()));
        m.set(id, p.until);
      }
    // A copy: the correlator grows an incident's impact in place, and the next `set` compares with this one.
    if (impact === EMPTY_IMPACT) this.impacts.delete(id);
    else this.impacts.set(id, copyImpact(impact));
  }

  private circuitsReached(im: Impact, out: Set<string>): void {
    const g = this.graph;
    for (const s of im.spans) {
      for (const c of g.circuitsOnSpan(s, 'working')) out.add(c);
      for (const c of g.circuitsOnSpan(s, 'protect')) out.add(c);
    }
    for (const n of im.nodes) for (const c of g.allCircuitsAtNode(n)) out.add(c);
    for (const p of im.power)
      for (const n of this.siteNodes(p.site)) for (const c of g.allCircuitsAtNode(n)) out.add(c);
    for (const a of im.access) for (const c of g.circuitsOfAccess(a)) out.add(c);
    for (const e of im.equipment) for (const c of g.circuitsOfEquipment(e)) out.add(c);
    for (const c of im.circuits) out.add(c);
    for (const c of im.touches) out.add(c);
  }

  private siteNodes(site: string): readonly string[] {
    const ns = this.graph.nodesOfSite(site);
    return ns.length ? ns : this.graph.nodes.has(site) ? [site] : [];
  }

  /** The first failed span or node of a path, named for people ("span S-A1-A2"), or null. */
  failedOn(spans: readonly string[], nodes: readonly string[]): string | null {
    if (this.spans.size) for (const s of spans) if (this.spans.has(s)) return `span ${s}`;
    if (this.nodes.size) for (const n of nodes) if (this.nodes.has(n)) return `node ${n}`;
    return null;
  }

  /** Whether any span or node of a path is failed (the hot path of `failedOn`, no name built). */
  pathFailed(spans: readonly string[], nodes: readonly string[]): boolean {
    if (this.spans.size) for (const s of spans) if (this.spans.has(s)) return true;
    if (this.nodes.size) for (const n of nodes) if (this.nodes.has(n)) return true;
    return false;
  }

  nodeFailed(node: string): boolean {
    return this.nodes.has(node);
  }

  /** Endpoint faults of a circuit: its end nodes, access links, customer equipment, 2M drop. */
  endpointDown(c: Circuit): boolean {
    if (this.nodes.has(c.a.node) || this.nodes.has(c.z.node) || this.circuits.has(c.id)) return true;
    if (c.access) for (const a of c.access) if (this.access.has(a)) return true;
    return this.equipment.size > 0 && [...this.equipmentOf(c)].some((e) => this.equipment.has(e));
  }

  equipmentOf(c: Circuit): Set<string> {
    const out = new Set(c.equipment ?? []);
    for (const a of c.access ?? []) {
      const l = this.graph.accessLinks.get(a);
      if (l) out.add(l.cpe);
    }
    return out;
  }

  /** Earliest battery end of the sites on battery among `nodes` (undefined: none; null: unknown end). */
  batteryEnd(nodes: readonly string[]): number | null | undefined {
    let until: number | null | undefined;
    if (!this.powerNodes.size) return until;
    for (const n of nodes) {
      const m = this.powerNodes.get(n);
      if (!m || this.nodes.has(n)) continue;
      for (const u of m.values())
        until = until === undefined ? u : u === null ? until : until === null ? u : Math.min(until, u);
    }
    return until;
  }

  /** The incidents that touch a circuit in any way, sorted. */
  incidentsOf(c: Circuit, p = this.graph.pathNodes(c.id)): string[] {
    const out = new Set<string>();
    const add = (s: Iterable<string> | undefined) => {
      if (s) for (const i of s) out.add(i);
    };
    for (const s of c.working) add(this.spans.get(s));
    for (const s of c.protect ?? []) add(this.spans.get(s));
    if (this.nodes.size || this.powerNodes.size) {
      const nodes = p.workingNodes.length ? [...p.workingNodes, ...p.protectNodes] : [c.a.node, c.z.node];
      for (const n of nodes) {
        add(this.nodes.get(n));
        add(this.powerNodes.get(n)?.keys());
      }
    }
    for (const a of c.access ?? []) add(this.access.get(a));
    if (this.equipment.size) for (const e of this.equipmentOf(c)) add(this.equipment.get(e));
    add(this.circuits.get(c.id));
    add(this.touched.get(c.id));
    return out.size > 1 ? [...out].sort() : [...out];
  }

  /** What one incident's impact does to a circuit's resources: a test per circuit, its sets built once. */
  hitsBy(incident: string): (c: Circuit) => CircuitHits {
    const im = this.impactOf(incident);
    const spans = new Set(im.spans);
    const nodes = new Set(im.nodes);
    const powered = new Set(im.power.flatMap((x) => this.siteNodes(x.site)));
    const onPath = (ss: readonly string[], ns: readonly string[]) =>
      ss.some((s) => spans.has(s)) || ns.some((n) => nodes.has(n));
    return (c) => {
      const p = this.graph.pathNodes(c.id);
      return {
        working: onPath(c.working, p.workingNodes),
        protect: onPath(c.protect ?? [], p.protectNodes),
        endpoint:
          nodes.has(c.a.node) ||
          nodes.has(c.z.node) ||
          im.access.some((a) => (c.access ?? []).includes(a)) ||
          (im.equipment.length > 0 && im.equipment.some((e) => this.equipmentOf(c).has(e))) ||
          im.circuits.includes(c.id),
        power:
          powered.size > 0 && [...p.workingNodes, ...p.protectNodes, c.a.node, c.z.node].some((n) => powered.has(n)),
        touches: im.touches.includes(c.id),
      };
    };
  }
}

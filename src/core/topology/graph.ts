// The network graph with every index the correlator and protection engine need,
// built once at load. All lookups are O(1) or O(affected); nothing scans all circuits.
import { parseObject } from '../alarms/events.js';
import { PortMap } from './port-map.js';
import type { TopologyIds } from './validate.js';
import type { AccessLink, Circuit, Equipment, EquipmentKind, Ring, Site, Span, TNode, Topology } from './schema.js';

export type PathName = 'working' | 'protect';

export interface HostEntry {
  kind: 'node' | EquipmentKind;
  id: string;
}

export interface DropRef {
  circuit: string;
  end: 'a' | 'z';
}

export interface NodeCircuits {
  endpoint: string[];
  transitWorking: string[];
  transitProtect: string[];
}

export interface CircuitPaths {
  workingNodes: string[];
  protectNodes: string[];
}

interface PortDrops {
  all: DropRef[];
  /** channel (0 = unchannelled) -> drop */
  byChannel: Map<number, DropRef>;
}

function pushSet<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

const EMPTY: ReadonlySet<string> = new Set();

export class TopologyGraph {
  readonly network: string;
  readonly sites: Map<string, Site>;
  readonly nodes: Map<string, TNode>;
  readonly spans: Map<string, Span>;
  readonly rings: Map<string, Ring>;
  readonly equipment: Map<string, Equipment>;
  readonly accessLinks: Map<string, AccessLink>;
  readonly circuits: Map<string, Circuit>;

  private readonly portSpan = new PortMap<string>();
  private readonly portAccess = new PortMap<string>();
  private readonly portDrops = new PortMap<PortDrops>();
  private dropCount = 0;
  // Arrays, not Sets: each circuit is added once per span/node, and 1.3 M Set inserts made the
  // 50,000-circuit load GC-bound.
  private readonly spanWorking = new Map<string, string[]>();
  private readonly spanProtect = new Map<string, string[]>();
  private readonly nodeCirc = new Map<string, NodeCircuits>();
  private readonly spanRing = new Map<string, string>();
  private readonly ringNodes = new Map<string, string[]>();
  private readonly nodeSpans = new Map<string, string[]>();
  private readonly nodeRings = new Map<string, Set<string>>();
  private readonly siteNodes = new Map<string, string[]>();
  private readonly equipCircuits = new Map<string, Set<string>>();
  private readonly accessCircuits = new Map<string, Set<string>>();
  private readonly cpeAccess = new Map<string, string[]>();
  private readonly hostIndex = new Map<string, HostEntry[]>();
  private readonly paths: Map<string, CircuitPaths>;

  /** `ids`: the id maps validation built (`parseTopology`), taken over rather than built twice. */
  constructor(
    readonly topology: Topology,
    ids?: TopologyIds,
  ) {
    this.network = topology.network;
    const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((x) => [x.id, x]));
    this.sites = ids?.sites ?? byId(topology.sites);
    this.nodes = ids?.nodes ?? byId(topology.nodes);
    this.spans = ids?.spans ?? byId(topology.spans);
    this.rings = ids?.rings ?? byId(topology.rings);
    this.equipment = ids?.equipment ?? byId(topology.equipment);
    this.accessLinks = ids?.accessLinks ?? byId(topology.accessLinks);
    this.circuits = ids?.circuits ?? byId(topology.circuits);
    this.paths = ids?.paths ?? new Map();
    for (const n of topology.nodes) {
      if (n.site) pushArr(this.siteNodes, n.site, n.id);
      if (n.mgmt) pushArr(this.hostIndex, n.mgmt.host, { kind: 'node', id: n.id });
    }
    for (const e of topology.equipment) {
      if (e.mgmt) pushArr(this.hostIndex, e.mgmt.host, { kind: e.kind, id: e.id });
    }
    for (const s of topology.spans) {
      this.portSpan.set(s.a.node, s.a.port, s.id);
      this.portSpan.set(s.z.node, s.z.port, s.id);
      pushArr(this.nodeSpans, s.a.node, s.id);
      pushArr(this.nodeSpans, s.z.node, s.id);
    }
    for (const r of topology.rings) {
      const ns: string[] = [];
      for (const sid of r.spans) {
        this.spanRing.set(sid, r.id);
        const s = this.spans.get(sid)!;
        for (const n of [s.a.node, s.z.node]) {
          if (!ns.includes(n)) ns.push(n);
          pushSet(this.nodeRings, n, r.id);
        }
      }
      this.ringNodes.set(r.id, ns);
    }
    for (const a of topology.accessLinks) {
      this.portAccess.set(a.node, a.port, a.id);
      pushArr(this.cpeAccess, a.cpe, a.id);
    }
    for (const c of topology.circuits) this.indexCircuit(c);
  }

  private indexCircuit(c: Circuit): void {
    this.indexDrop(c.id, 'a', c.a.node, c.a.port, c.a.channel);
    this.indexDrop(c.id, 'z', c.z.node, c.z.port, c.z.channel);
    let p = this.paths.get(c.id);
    if (!p) {
      p = {
        workingNodes: this.walk(c.a.node, c.working),
        protectNodes: c.protect ? this.walk(c.a.node, c.protect) : [],
      };
      this.paths.set(c.id, p);
    }
    const { workingNodes, protectNodes } = p;
    for (const s of c.working) pushArr(this.spanWorking, s, c.id);
    for (const s of c.protect ?? []) pushArr(this.spanProtect, s, c.id);
    for (let i = 1; i < workingNodes.length - 1; i++) this.nodeCircuits(workingNodes[i]).transitWorking.push(c.id);
    for (let i = 1; i < protectNodes.length - 1; i++) this.nodeCircuits(protectNodes[i]).transitProtect.push(c.id);
    for (const a of c.access ?? []) pushSet(this.accessCircuits, a, c.id);
    for (const e of c.equipment ?? []) pushSet(this.equipCircuits, e, c.id);
    // CPE reached through an access link serves the circuit even when not listed in `equipment`.
    for (const a of c.access ?? []) {
      const link = this.accessLinks.get(a);
      if (link) pushSet(this.equipCircuits, link.cpe, c.id);
    }
  }

  private indexDrop(circuit: string, end: 'a' | 'z', node: string, port: string, channel: number | undefined): void {
    const ref: DropRef = { circuit, end };
    let pd = this.portDrops.get(node, port);
    if (!pd) this.portDrops.set(node, port, (pd = { all: [], byChannel: new Map() }));
    pd.all.push(ref);
    pd.byChannel.set(channel ?? 0, ref);
    this.dropCount++;
    const ep = this.nodeCircuits(node).endpoint;
    if (ep[ep.length - 1] !== circuit) ep.push(circuit);
  }

  private nodeCircuits(node: string): NodeCircuits {
    let nc = this.nodeCirc.get(node);
    if (!nc) this.nodeCirc.set(node, (nc = { endpoint: [], transitWorking: [], transitProtect: [] }));
    return nc;
  }

  /** Nodes visited by a path of spans starting at `from`, in order (both ends included). */
  private walk(from: string, spans: string[]): string[] {
    const out = [from];
    let cur = from;
    for (const sid of spans) {
      const s = this.spans.get(sid)!;
      cur = s.a.node === cur ? s.z.node : s.a.node;
      out.push(cur);
    }
    return out;
  }

  /**
   * `PORT:CHANNEL` or `PORT`. A port whose own name contains ':' (known to the topology as a
   * span, access or drop port) is taken whole.
   */
  splitObject(node: string, object: string): { port: string; channel?: number } {
    if (
      object.includes(':') &&
      (this.portSpan.get(node, object) || this.portAccess.get(node, object) || this.portDrops.get(node, object))
    ) {
      return { port: object };
    }
    return parseObject(object);
  }

  spanAtPort(node: string, port: string): string | undefined {
    return this.portSpan.get(node, port);
  }
  accessAtPort(node: string, port: string): string | undefined {
    return this.portAccess.get(node, port);
  }
  /** The circuit dropped at (node, port, channel); without channel, the unchannelled drop. */
  dropAt(node: string, port: string, channel?: number): DropRef | undefined {
    return this.portDrops.get(node, port)?.byChannel.get(channel ?? 0);
  }
  /** Every circuit drop on a tributary port (all channels). */
  dropsOnPort(node: string, port: string): readonly DropRef[] {
    return this.portDrops.get(node, port)?.all ?? [];
  }
  circuitsOnSpan(span: string, path: PathName): readonly string[] {
    return (path === 'working' ? this.spanWorking : this.spanProtect).get(span) ?? [];
  }
  circuitsAtNode(node: string): Readonly<NodeCircuits> {
    return this.nodeCirc.get(node) ?? { endpoint: [], transitWorking: [], transitProtect: [] };
  }
  circuitsOfEquipment(eq: string): ReadonlySet<string> {
    return this.equipCircuits.get(eq) ?? EMPTY;
  }
  circuitsOfAccess(link: string): ReadonlySet<string> {
    return this.accessCircuits.get(link) ?? EMPTY;
  }
  accessOfCpe(cpe: string): readonly string[] {
    return this.cpeAccess.get(cpe) ?? [];
  }
  ringOfSpan(span: string): string | undefined {
    return this.spanRing.get(span);
  }
  nodesOfRing(ring: string): readonly string[] {
    return this.ringNodes.get(ring) ?? [];
  }
  ringsOfNode(node: string): ReadonlySet<string> {
    return this.nodeRings.get(node) ?? EMPTY;
  }
  spansOfNode(node: string): readonly string[] {
    return this.nodeSpans.get(node) ?? [];
  }
  nodesOfSite(site: string): readonly string[] {
    return this.siteNodes.get(site) ?? [];
  }
  pathNodes(circuit: string): CircuitPaths {
    return this.paths.get(circuit) ?? { workingNodes: [], protectNodes: [] };
  }
  byHost(host: string, prefer?: HostEntry['kind']): HostEntry | undefined {
    return byHost(this.hostIndex, host, prefer);
  }
  /** The management host table, to hand to a worker thread. */
  hostTable(): Array<[string, HostEntry[]]> {
    return [...this.hostIndex];
  }
  /** The far end of a span seen from `node`: the neighbour node and its port. */
  farEnd(span: string, node: string): { node: string; port: string } | undefined {
    const s = this.spans.get(span);
    if (!s) return undefined;
    if (s.a.node === node) return s.z;
    if (s.z.node === node) return s.a;
    return undefined;
  }
  /** Port of `node` on span. */
  portOn(span: string, node: string): string | undefined {
    const s = this.spans.get(span);
    if (!s) return undefined;
    if (s.a.node === node) return s.a.port;
    if (s.z.node === node) return s.z.port;
    return undefined;
  }
  /** Circuits touched in any way by a node (endpoint or transit on either path). */
  *allCircuitsAtNode(node: string): Iterable<string> {
    const nc = this.nodeCirc.get(node);
    if (!nc) return;
    const seen = new Set<string>();
    for (const set of [nc.endpoint, nc.transitWorking, nc.transitProtect]) {
      for (const c of set)
        if (!seen.has(c)) {
          seen.add(c);
          yield c;
        }
    }
  }

  indexSizes(): Record<string, number> {
    return {
      portSpan: this.portSpan.size,
      portAccess: this.portAccess.size,
      drops: this.dropCount,
      spanWorking: this.spanWorking.size,
      spanProtect: this.spanProtect.size,
      nodeCircuits: this.nodeCirc.size,
      ringNodes: this.ringNodes.size,
      equipmentCircuits: this.equipCircuits.size,
    };
  }

  summary(): string {
    const t = this.topology;
    return (
      `network ${t.network}: ${t.rings.length} rings, ${t.nodes.length} nodes, ${t.spans.length} spans, ` +
      `${t.circuits.length} circuits, ${t.accessLinks.length} access links, ${t.equipment.length} equipment, ${t.sites.length} sites`
    );
  }
}

/**
 * The node or equipment managed at an address. Several may share one (agents on one host,
 * different ports): `prefer` picks the kind a notification comes from (a router for IF-MIB
 * link traps), else ring nodes come first.
 */
export function byHost(
  table: ReadonlyMap<string, HostEntry[]>,
  host: string,
  prefer?: HostEntry['kind'],
): HostEntry | undefined {
  const list = table.get(host);
  if (!list) return undefined;
  return (prefer && list.find((e) => e.kind === prefer)) || list.find((e) => e.kind === 'node') || list[0];
}

function pushArr<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

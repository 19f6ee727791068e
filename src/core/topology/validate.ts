// Parses and validates a topology document (already decoded from YAML/JSON).
// Every problem becomes one `path: message` line (contract section 3).
import { parseStrict } from '../strict.js';
import { PortMap } from './port-map.js';
import {
  TopologySchema,
  type AccessLink,
  type Circuit,
  type Equipment,
  type Ring,
  type Site,
  type Span,
  type TNode,
  type Topology,
} from './schema.js';

export interface TopologyProblem {
  path: string;
  message: string;
  /** The element the path is in, by id (`circuit CKT-0004`), when it has one. */
  element?: string;
}

export type ParseResult =
  { ok: true; topology: Topology; ids: TopologyIds } | { ok: false; problems: TopologyProblem[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** The contract's line: `path: message`. */
export function formatProblem(p: TopologyProblem): string {
  return `${p.path}: ${p.message}`;
}

/** The line with the element's id, to find it in the file: `circuits[3].working[1]: span "S-9" does not exist (circuit CKT-0004)`. */
export function formatProblemWithId(p: TopologyProblem): string {
  return p.element ? `${formatProblem(p)} (${p.element})` : formatProblem(p);
}

export function parseTopology(doc: unknown): ParseResult {
  const parsed = parseStrict(TopologySchema, doc);
  if (!parsed.success) {
    return {
      ok: false,
      problems: withIds(
        doc,
        parsed.problems.map((p) => ({ path: formatPath(p.path), message: p.message })),
      ),
    };
  }
  const { problems, ids } = checkReferences(parsed.data);
  return problems.length ? { ok: false, problems: withIds(doc, problems) } : { ok: true, topology: parsed.data, ids };
}

const ELEMENT: Record<string, string> = {
  sites: 'site',
  nodes: 'node',
  spans: 'span',
  rings: 'ring',
  equipment: 'equipment',
  accessLinks: 'access link',
  circuits: 'circuit',
};

/** Notes the element's id beside its index, so a problem can be found in the file. */
function withIds(doc: unknown, problems: TopologyProblem[]): TopologyProblem[] {
  return problems.map((p) => {
    const m = /^(\w+)\[(\d+)\]/.exec(p.path);
    const list = m && ELEMENT[m[1]] ? (doc as Record<string, unknown> | null)?.[m[1]] : undefined;
    const el = Array.isArray(list) ? list[Number(m![2])] : undefined;
    const id = el && typeof el === 'object' ? (el as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || !id || p.message.includes(`"${id}"`)) return p;
    return { ...p, element: `${ELEMENT[m![1]]} ${id}` };
  });
}

/** The id maps the reference checks build; the graph takes them over instead of building its own. */
export interface TopologyIds {
  sites: Map<string, Site>;
  nodes: Map<string, TNode>;
  spans: Map<string, Span>;
  rings: Map<string, Ring>;
  equipment: Map<string, Equipment>;
  accessLinks: Map<string, AccessLink>;
  circuits: Map<string, Circuit>;
  /** Circuit -> the nodes its working and protect paths visit, in order (walked once, here). */
  paths: Map<string, { workingNodes: string[]; protectNodes: string[] }>;
}

type Add = (path: string, message: string) => void;

function idMap<T extends { id: string }>(list: T[], name: string, add: Add): Map<string, T> {
  const m = new Map<string, T>();
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (m.has(item.id)) add(`${name}[${i}].id`, `duplicate id "${item.id}"`);
    else m.set(item.id, item);
  }
  return m;
}

// Paths and messages are built only when a check fails: the happy path allocates no strings.
function checkReferences(t: Topology): { problems: TopologyProblem[]; ids: TopologyIds } {
  const problems: TopologyProblem[] = [];
  const add: Add = (path, message) => problems.push({ path, message });
  const ids: TopologyIds = {
    sites: idMap(t.sites, 'sites', add),
    nodes: idMap(t.nodes, 'nodes', add),
    spans: idMap(t.spans, 'spans', add),
    rings: idMap(t.rings, 'rings', add),
    equipment: idMap(t.equipment, 'equipment', add),
    accessLinks: idMap(t.accessLinks, 'accessLinks', add),
    circuits: idMap(t.circuits, 'circuits', add),
    paths: new Map(),
  };
  const { sites, nodes } = ids;
  t.nodes.forEach((n, i) => {
    if (n.site != null && !sites.has(n.site)) add(`nodes[${i}].site`, `site "${n.site}" does not exist`);
  });
  t.equipment.forEach((e, i) => {
    if (e.site != null && !sites.has(e.site)) add(`equipment[${i}].site`, `site "${e.site}" does not exist`);
  });
  const ports = new PortMap<string>();
  const claim = (path: () => string, node: string, port: string, owner: () => string) => {
    const prev = ports.get(node, port);
    if (prev) add(path(), `port "${port}" of node "${node}" is already used by ${prev}`);
    else ports.set(node, port, owner());
  };
  checkSpans(t, ids, claim, add);
  checkRings(t, ids, add);
  checkAccessLinks(t, ids, claim, add);
  const drops = new PortMap<Map<number, string>>();
  for (let i = 0; i < t.circuits.length; i++) {
    const c = t.circuits[i];
    for (const end of ['a', 'z'] as const) checkDrop(c, i, end, nodes, ports, drops, add);
    checkCircuitPaths(c, i, ids, add);
  }
  return { problems, ids };
}

type Claim = (path: () => string, node: string, port: string, owner: () => string) => void;

/** Spans: known nodes at both ends, each port used once. */
function checkSpans(t: Topology, ids: TopologyIds, claim: Claim, add: Add): void {
  t.spans.forEach((s, i) => {
    for (const end of ['a', 'z'] as const) {
      if (!ids.nodes.has(s[end].node)) add(`spans[${i}].${end}.node`, `node "${s[end].node}" does not exist`);
    }
    if (s.a.node === s.z.node) add(`spans[${i}]`, `span "${s.id}" starts and ends at node "${s.a.node}"`);
    const owner = () => `span "${s.id}"`;
    claim(() => `spans[${i}].a.port`, s.a.node, s.a.port, owner);
    claim(() => `spans[${i}].z.port`, s.z.node, s.z.port, owner);
  });
}

function checkAccessLinks(t: Topology, ids: TopologyIds, claim: Claim, add: Add): void {
  t.accessLinks.forEach((a, i) => {
    if (!ids.nodes.has(a.node)) add(`accessLinks[${i}].node`, `node "${a.node}" does not exist`);
    if (!ids.equipment.has(a.cpe)) add(`accessLinks[${i}].cpe`, `equipment "${a.cpe}" does not exist`);
    claim(
      () => `accessLinks[${i}].port`,
      a.node,
      a.port,
      () => `access link "${a.id}"`,
    );
  });
}

function checkRings(t: Topology, ids: TopologyIds, add: Add): void {
  const spanRing = new Map<string, string>();
  t.rings.forEach((r, i) => {
    let known = true;
    r.spans.forEach((sid, j) => {
      if (!ids.spans.has(sid)) {
        add(`rings[${i}].spans[${j}]`, `span "${sid}" does not exist`);
        known = false;
        return;
      }
      const other = spanRing.get(sid);
      if (other && other !== r.id) add(`rings[${i}].spans[${j}]`, `span "${sid}" is already in ring "${other}"`);
      else if (other === r.id) add(`rings[${i}].spans[${j}]`, `span "${sid}" appears twice in the ring`);
      else spanRing.set(sid, r.id);
    });
    if (known)
      checkRingCloses(
        r.spans.map((s) => ids.spans.get(s)!),
        `rings[${i}]`,
        add,
      );
  });
}

function checkDrop(
  c: Circuit,
  i: number,
  end: 'a' | 'z',
  nodes: Map<string, TNode>,
  ports: PortMap<string>,
  drops: PortMap<Map<number, string>>,
  add: Add,
): void {
  const d = c[end];
  if (!nodes.has(d.node)) add(`circuits[${i}].${end}.node`, `node "${d.node}" does not exist`);
  let byChannel = drops.get(d.node, d.port);
  if (!byChannel) drops.set(d.node, d.port, (byChannel = new Map()));
  const channel = d.channel ?? 0;
  const prev = byChannel.get(channel);
  if (prev) {
    const where = d.channel != null ? `${d.port}:${d.channel}` : d.port;
    add(`circuits[${i}].${end}`, `drop ${d.node} ${where} is already used by circuit "${prev}"`);
  } else byChannel.set(channel, c.id);
  if (ports.get(d.node, d.port)?.startsWith('span'))
    add(`circuits[${i}].${end}.port`, `port "${d.port}" of node "${d.node}" is a ring span port, not a tributary`);
}

function checkCircuitPaths(c: Circuit, i: number, ids: TopologyIds, add: Add): void {
  const pathOk = (name: 'working' | 'protect', list: string[]): string[] => {
    let allKnown = true;
    for (let j = 0; j < list.length; j++) {
      if (!ids.spans.has(list[j])) {
        add(`circuits[${i}].${name}[${j}]`, `span "${list[j]}" does not exist`);
        allKnown = false;
      }
    }
    if (!allKnown || !ids.nodes.has(c.a.node) || !ids.nodes.has(c.z.node)) return [];
    return walkPath(ids.spans, list, c.a.node, c.z.node, () => `circuits[${i}].${name}`, add);
  };
  const workingNodes = pathOk('working', c.working);
  let protectNodes: string[] = [];
  if (c.protect) {
    protectNodes = pathOk('protect', c.protect);
    const w = new Set(c.working);
    c.protect.forEach((sid, j) => {
      if (w.has(sid)) add(`circuits[${i}].protect[${j}]`, `span "${sid}" is also on the working path`);
    });
  }
  ids.paths.set(c.id, { workingNodes, protectNodes });
  if (c.protection !== 'none' && (!c.protect || c.protect.length === 0) && c.a.node !== c.z.node) {
    add(`circuits[${i}].protect`, `protection "${c.protection}" needs a protect path`);
  }
  c.access?.forEach((aid, j) => {
    if (!ids.accessLinks.has(aid)) add(`circuits[${i}].access[${j}]`, `access link "${aid}" does not exist`);
  });
  c.equipment?.forEach((eid, j) => {
    if (!ids.equipment.has(eid)) add(`circuits[${i}].equipment[${j}]`, `equipment "${eid}" does not exist`);
  });
}

type SpanLike = { id: string; a: { node: string }; z: { node: string } };

function otherEnd(s: SpanLike, node: string): string | undefined {
  if (s.a.node === node) return s.z.node;
  if (s.z.node === node) return s.a.node;
  return undefined;
}

/** The nodes a path of spans visits from `from` (both ends included); a gap or a wrong end is a problem. */
function walkPath(
  spans: ReadonlyMap<string, SpanLike>,
  list: readonly string[],
  from: string,
  to: string,
  base: () => string,
  add: Add,
): string[] {
  const out = [from];
  let cur = from;
  for (let j = 0; j < list.length; j++) {
    const next = otherEnd(spans.get(list[j])!, cur);
    if (next === undefined) {
      add(`${base()}[${j}]`, `span "${list[j]}" does not continue the path from node "${cur}"`);
      return out;
    }
    out.push((cur = next));
  }
  if (cur !== to) add(base(), `path ends at node "${cur}", not at z node "${to}"`);
  return out;
}

function checkRingCloses(list: SpanLike[], base: string, add: Add): void {
  if (list.length < 2) return;
  const first = list[0];
  const second = list[1];
  const shared = [first.a.node, first.z.node].find((n) => n === second.a.node || n === second.z.node);
  if (!shared) {
    add(`${base}.spans[1]`, `span "${second.id}" does not connect to span "${first.id}"`);
    return;
  }
  const start = otherEnd(first, shared)!;
  let cur = shared;
  for (let j = 1; j < list.length; j++) {
    const next = otherEnd(list[j], cur);
    if (next === undefined) {
      add(`${base}.spans[${j}]`, `span "${list[j].id}" does not connect to node "${cur}"`);
      return;
    }
    cur = next;
  }
  if (cur !== start) add(`${base}.spans`, `ring does not close: it ends at node "${cur}", not at "${start}"`);
}

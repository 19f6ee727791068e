// Parses and validates a topology document (already decoded from YAML/JSON).
// Every problem becomes one `path: message` line (contract section 3).
import { parseStrict } from '../strict.js';
import { TopologySchema, type Topology } from './schema.js';

export interface TopologyProblem {
  path: string;
  message: string;
  /** The element the path is in, by id (`circuit CKT-0004`), when it has one. */
  element?: string;
}

export type ParseResult = { ok: true; topology: Topology } | { ok: false; problems: TopologyProblem[] };

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
  const problems = checkReferences(parsed.data);
  return problems.length ? { ok: false, problems: withIds(doc, problems) } : { ok: true, topology: parsed.data };
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

function checkReferences(t: Topology): TopologyProblem[] {
  const problems: TopologyProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const ids = <T extends { id: string }>(list: T[], name: string): Map<string, T> => {
    const m = new Map<string, T>();
    list.forEach((item, i) => {
      if (m.has(item.id)) add(`${name}[${i}].id`, `duplicate id "${item.id}"`);
      else m.set(item.id, item);
    });
    return m;
  };
  const sites = ids(t.sites, 'sites');
  const nodes = ids(t.nodes, 'nodes');
  const spans = ids(t.spans, 'spans');
  ids(t.rings, 'rings');
  const equipment = ids(t.equipment, 'equipment');
  const access = ids(t.accessLinks, 'accessLinks');
  ids(t.circuits, 'circuits');

  const needNode = (path: string, node: string) => {
    if (!nodes.has(node)) add(path, `node "${node}" does not exist`);
  };
  const needSite = (path: string, site: string | null | undefined) => {
    if (site != null && !sites.has(site)) add(path, `site "${site}" does not exist`);
  };

  t.nodes.forEach((n, i) => needSite(`nodes[${i}].site`, n.site));
  t.equipment.forEach((e, i) => needSite(`equipment[${i}].site`, e.site));

  const portUse = new Map<string, string>();
  const claimPort = (path: string, node: string, port: string, owner: string) => {
    const key = `${node}|${port}`;
    const prev = portUse.get(key);
    if (prev) add(path, `port "${port}" of node "${node}" is already used by ${prev}`);
    else portUse.set(key, owner);
  };

  t.spans.forEach((s, i) => {
    needNode(`spans[${i}].a.node`, s.a.node);
    needNode(`spans[${i}].z.node`, s.z.node);
    if (s.a.node === s.z.node) add(`spans[${i}]`, `span "${s.id}" starts and ends at node "${s.a.node}"`);
    claimPort(`spans[${i}].a.port`, s.a.node, s.a.port, `span "${s.id}"`);
    claimPort(`spans[${i}].z.port`, s.z.node, s.z.port, `span "${s.id}"`);
  });

  const spanRing = new Map<string, string>();
  t.rings.forEach((r, i) => {
    let known = true;
    r.spans.forEach((sid, j) => {
      if (!spans.has(sid)) {
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
        r.spans.map((s) => spans.get(s)!),
        `rings[${i}]`,
        add,
      );
  });

  t.accessLinks.forEach((a, i) => {
    needNode(`accessLinks[${i}].node`, a.node);
    const cpe = equipment.get(a.cpe);
    if (!cpe) add(`accessLinks[${i}].cpe`, `equipment "${a.cpe}" does not exist`);
    claimPort(`accessLinks[${i}].port`, a.node, a.port, `access link "${a.id}"`);
  });

  const drops = new Map<string, string>();
  t.circuits.forEach((c, i) => {
    const base = `circuits[${i}]`;
    for (const end of ['a', 'z'] as const) {
      const d = c[end];
      needNode(`${base}.${end}.node`, d.node);
      const key = `${d.node}|${d.port}|${d.channel ?? ''}`;
      const prev = drops.get(key);
      const where = d.channel != null ? `${d.port}:${d.channel}` : d.port;
      if (prev) add(`${base}.${end}`, `drop ${d.node} ${where} is already used by circuit "${prev}"`);
      else drops.set(key, c.id);
      if (portUse.get(`${d.node}|${d.port}`)?.startsWith('span')) {
        add(`${base}.${end}.port`, `port "${d.port}" of node "${d.node}" is a ring span port, not a tributary`);
      }
    }
    const pathOk = (name: 'working' | 'protect', list: string[]) => {
      let allKnown = true;
      list.forEach((sid, j) => {
        if (!spans.has(sid)) {
          add(`${base}.${name}[${j}]`, `span "${sid}" does not exist`);
          allKnown = false;
        }
      });
      if (allKnown && nodes.has(c.a.node) && nodes.has(c.z.node)) {
        checkPath(
          list.map((s) => spans.get(s)!),
          c.a.node,
          c.z.node,
          `${base}.${name}`,
          add,
        );
      }
    };
    pathOk('working', c.working);
    if (c.protect) {
      pathOk('protect', c.protect);
      const w = new Set(c.working);
      c.protect.forEach((sid, j) => {
        if (w.has(sid)) add(`${base}.protect[${j}]`, `span "${sid}" is also on the working path`);
      });
    }
    if (c.protection !== 'none' && (!c.protect || c.protect.length === 0) && c.a.node !== c.z.node) {
      add(`${base}.protect`, `protection "${c.protection}" needs a protect path`);
    }
    c.access?.forEach((aid, j) => {
      if (!access.has(aid)) add(`${base}.access[${j}]`, `access link "${aid}" does not exist`);
    });
    c.equipment?.forEach((eid, j) => {
      if (!equipment.has(eid)) add(`${base}.equipment[${j}]`, `equipment "${eid}" does not exist`);
    });
  });
  return problems;
}

type Add = (path: string, message: string) => void;
type SpanLike = { id: string; a: { node: string }; z: { node: string } };

function otherEnd(s: SpanLike, node: string): string | undefined {
  if (s.a.node === node) return s.z.node;
  if (s.z.node === node) return s.a.node;
  return undefined;
}

function checkPath(list: SpanLike[], from: string, to: string, base: string, add: Add): void {
  let cur = from;
  for (let j = 0; j < list.length; j++) {
    const next = otherEnd(list[j], cur);
    if (next === undefined) {
      add(`${base}[${j}]`, `span "${list[j].id}" does not continue the path from node "${cur}"`);
      return;
    }
    cur = next;
  }
  if (cur !== to) add(base, `path ends at node "${cur}", not at z node "${to}"`);
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

// `ringguard topology import --from-csv DIR`: an EMS inventory export (one CSV file per kind,
// circuits' paths as one row per hop) into the topology document of contract section 3. The
// columns are documented in docs/topology.md; the result is validated like any topology file.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { TopologyInput } from '../../core/topology/schema.js';

type Row = Record<string, string>;
interface Table {
  file: string;
  rows: Array<{ line: number; row: Row }>;
}

/** Files, their columns (required ones marked `!`), and whether the file itself is required. */
export const CSV_FILES = {
  sites: { file: 'sites.csv', required: false, columns: ['id!', 'name', 'battery_minutes'] },
  nodes: { file: 'nodes.csv', required: true, columns: ['id!', 'name', 'site', ...mgmtColumns()] },
  spans: {
    file: 'spans.csv',
    required: true,
    columns: ['id!', 'a_node!', 'a_port!', 'z_node!', 'z_port!', 'cable', 'km'],
  },
  rings: { file: 'rings.csv', required: false, columns: ['id!', 'name', 'protection!', 'rate', 'spans!'] },
  equipment: {
    file: 'equipment.csv',
    required: false,
    columns: ['id!', 'kind!', 'name', 'site', ...mgmtColumns()],
  },
  accessLinks: {
    file: 'access_links.csv',
    required: false,
    columns: ['id!', 'node!', 'port!', 'cpe!', 'cable', 'km'],
  },
  circuits: {
    file: 'circuits.csv',
    required: false,
    columns: [
      'id!',
      'customer!',
      'priority!',
      'rate',
      'protection!',
      'revertive',
      'a_node!',
      'a_port!',
      'a_channel',
      'z_node!',
      'z_port!',
      'z_channel',
      'access',
      'equipment',
    ],
  },
  paths: { file: 'circuit_paths.csv', required: false, columns: ['circuit!', 'path!', 'seq!', 'span!'] },
} as const;
type Kind = keyof typeof CSV_FILES;

function mgmtColumns() {
  return [
    'mgmt_host',
    'mgmt_port',
    'mgmt_version',
    'community',
    'user',
    'auth_protocol',
    'auth_key',
    'priv_protocol',
    'priv_key',
  ] as const;
}

export type ImportResult = { ok: true; doc: TopologyInput } | { ok: false; problems: string[] };

export function importInventoryCsv(dir: string, network?: string): ImportResult {
  const problems: string[] = [];
  const tables = {} as Record<Kind, Table>;
  for (const kind of Object.keys(CSV_FILES) as Kind[]) tables[kind] = readTable(dir, kind, problems);
  if (problems.length) return { ok: false, problems };
  const p = new Cells(problems);
  const doc: TopologyInput = {
    network: network ?? basename(resolve(dir)),
    sites: tables.sites.rows.map(({ line, row }) =>
      p.compact({
        id: row.id,
        name: row.name,
        batteryMinutes: p.num(tables.sites.file, line, row, 'battery_minutes'),
      }),
    ),
    nodes: tables.nodes.rows.map(({ line, row }) =>
      p.compact({ id: row.id, name: row.name, site: row.site, mgmt: p.mgmt(tables.nodes.file, line, row) }),
    ),
    spans: tables.spans.rows.map(({ line, row }) =>
      p.compact({
        id: row.id,
        a: { node: row.a_node, port: row.a_port },
        z: { node: row.z_node, port: row.z_port },
        cable: row.cable,
        km: p.num(tables.spans.file, line, row, 'km'),
      }),
    ),
    rings: tables.rings.rows.map(({ row }) =>
      p.compact({
        id: row.id,
        name: row.name,
        protection: row.protection as 'ms-spring',
        rate: row.rate,
        spans: list(row.spans) ?? [],
      }),
    ),
    equipment: tables.equipment.rows.map(({ line, row }) =>
      p.compact({
        id: row.id,
        kind: row.kind as 'router',
        name: row.name,
        site: row.site,
        mgmt: p.mgmt(tables.equipment.file, line, row),
      }),
    ),
    accessLinks: tables.accessLinks.rows.map(({ line, row }) =>
      p.compact({
        id: row.id,
        node: row.node,
        port: row.port,
        cpe: row.cpe,
        cable: row.cable,
        km: p.num(tables.accessLinks.file, line, row, 'km'),
      }),
    ),
    circuits: circuits(tables.circuits, pathsByCircuit(tables.paths, tables.circuits, p), p),
  };
  return problems.length ? { ok: false, problems } : { ok: true, doc };
}

function circuits(t: Table, paths: Map<string, { working: string[]; protect: string[] }>, p: Cells) {
  return t.rows.map(({ line, row }) => {
    const path = paths.get(row.id) ?? { working: [], protect: [] };
    const drop = (end: 'a' | 'z') =>
      p.compact({
        node: row[`${end}_node`],
        port: row[`${end}_port`],
        channel: p.num(t.file, line, row, `${end}_channel`),
      });
    return p.compact({
      id: row.id,
      customer: row.customer,
      priority: row.priority as 'vip',
      rate: row.rate,
      a: drop('a'),
      z: drop('z'),
      working: path.working,
      protect: path.protect.length ? path.protect : undefined,
      protection: row.protection as 'sncp',
      revertive: p.bool(t.file, line, row, 'revertive'),
      access: list(row.access),
      equipment: list(row.equipment),
    });
  });
}

/** Hop rows (`circuit, path, seq, span`) into each circuit's working and protect span lists, in `seq` order. */
function pathsByCircuit(t: Table, circuitsTable: Table, p: Cells) {
  const known = new Set(circuitsTable.rows.map((r) => r.row.id));
  const hops = new Map<string, { working: Array<[number, string]>; protect: Array<[number, string]> }>();
  for (const { line, row } of t.rows) {
    const where = `${t.file}:${line}`;
    if (!known.has(row.circuit)) p.problem(`${where}: circuit "${row.circuit}" is not in ${circuitsTable.file}`);
    if (row.path !== 'working' && row.path !== 'protect') {
      p.problem(`${where}: column "path": "${row.path}" is not working or protect`);
      continue;
    }
    const seq = p.num(t.file, line, row, 'seq');
    let h = hops.get(row.circuit);
    if (!h) hops.set(row.circuit, (h = { working: [], protect: [] }));
    h[row.path].push([seq ?? 0, row.span]);
  }
  const out = new Map<string, { working: string[]; protect: string[] }>();
  const ordered = (l: Array<[number, string]>) => l.sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  for (const [c, h] of hops) out.set(c, { working: ordered(h.working), protect: ordered(h.protect) });
  return out;
}

function readTable(dir: string, kind: Kind, problems: string[]): Table {
  const spec = CSV_FILES[kind];
  const file = join(dir, spec.file);
  if (!existsSync(file)) {
    if (spec.required) problems.push(`${file}: missing (an inventory export needs ${spec.file})`);
    return { file, rows: [] };
  }
  let records: string[][];
  try {
    records = parse(readFileSync(file, 'utf8'), { bom: true, trim: true, skip_empty_lines: true, comment: '#' });
  } catch (e) {
    problems.push(`${file}: not valid CSV: ${(e as Error).message}`);
    return { file, rows: [] };
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase().replace(/[\s-]+/g, '_'));
  const known = spec.columns.map((c) => c.replace('!', ''));
  for (const h of header)
    if (!known.includes(h)) problems.push(`${file}:1: unknown column "${h}"; known: ${known.join(', ')}`);
  for (const c of spec.columns)
    if (c.endsWith('!') && !header.includes(c.slice(0, -1)))
      problems.push(`${file}:1: missing column "${c.slice(0, -1)}"`);
  const rows = records.slice(1).map((cells, i) => ({
    line: i + 2,
    row: Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ''])) as Row,
  }));
  return { file, rows };
}

/** `a;b;c` (or `a|b|c`) as a list; empty as absent. */
function list(cell: string | undefined): string[] | undefined {
  const items = (cell ?? '')
    .split(/[;|]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** Cell conversions; a bad cell is a `file:LINE: column "x": …` problem. */
class Cells {
  constructor(private readonly problems: string[]) {}
  problem(line: string): void {
    this.problems.push(line);
  }
  num(file: string, line: number, row: Row, col: string): number | undefined {
    const v = row[col];
    if (!v) return undefined;
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    this.problems.push(`${file}:${line}: column "${col}": "${v}" is not a number`);
    return undefined;
  }
  bool(file: string, line: number, row: Row, col: string): boolean | undefined {
    const v = row[col]?.toLowerCase();
    if (!v) return undefined;
    if (['true', 'yes', '1'].includes(v)) return true;
    if (['false', 'no', '0'].includes(v)) return false;
    this.problems.push(`${file}:${line}: column "${col}": "${row[col]}" is not true or false`);
    return undefined;
  }
  mgmt(file: string, line: number, row: Row) {
    if (!row.mgmt_host) return undefined;
    const v = row.mgmt_version;
    const version: 1 | '2c' | 3 | undefined = v === '3' ? 3 : v === '1' ? 1 : v ? '2c' : undefined;
    return this.compact({
      host: row.mgmt_host,
      port: this.num(file, line, row, 'mgmt_port'),
      version,
      community: row.community,
      user: row.user,
      authProtocol: row.auth_protocol as 'sha',
      authKey: row.auth_key,
      privProtocol: row.priv_protocol as 'aes',
      privKey: row.priv_key,
    });
  }
  /** Drops empty cells, so an absent value is absent (not `""`) for the validation. */
  compact<T extends object>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
  }
}

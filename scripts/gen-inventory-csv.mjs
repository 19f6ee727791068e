// Writes a topology file as the CSV inventory export `ringguard topology import --from-csv`
// reads (one file per kind, circuits' paths one row per hop): the example in fixtures/inventory-csv.
// Run (after npm run build): node scripts/gen-inventory-csv.mjs [fixtures/demo-network.yaml] [fixtures/inventory-csv]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const [src = 'fixtures/demo-network.yaml', out = 'fixtures/inventory-csv'] = process.argv.slice(2);
const t = parse(readFileSync(src, 'utf8'));
const cell = (v) => {
  const s = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(';') : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const write = (file, columns, rows) => {
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))];
  writeFileSync(join(out, file), lines.join('\n') + '\n');
};
const mgmt = (m) =>
  m
    ? {
        mgmt_host: m.host,
        mgmt_port: m.port,
        mgmt_version: m.version,
        community: m.community,
        user: m.user,
        auth_protocol: m.authProtocol,
        auth_key: m.authKey,
        priv_protocol: m.privProtocol,
        priv_key: m.privKey,
      }
    : {};
// The columns the importer reads (after `npm run build`), so the two cannot drift apart.
const { CSV_FILES } = await import('../dist/adapters/files/inventory-csv.js');
const cols = (kind) => CSV_FILES[kind].columns.map((c) => c.replace('!', ''));
mkdirSync(out, { recursive: true });
write(
  'sites.csv',
  cols('sites'),
  (t.sites ?? []).map((s) => ({ ...s, battery_minutes: s.batteryMinutes })),
);
write(
  'nodes.csv',
  cols('nodes'),
  t.nodes.map((n) => ({ ...n, ...mgmt(n.mgmt) })),
);
write(
  'spans.csv',
  cols('spans'),
  t.spans.map((s) => ({ ...s, a_node: s.a.node, a_port: s.a.port, z_node: s.z.node, z_port: s.z.port })),
);
write('rings.csv', cols('rings'), t.rings ?? []);
write(
  'equipment.csv',
  cols('equipment'),
  (t.equipment ?? []).map((e) => ({ ...e, ...mgmt(e.mgmt) })),
);
write('access_links.csv', cols('accessLinks'), t.accessLinks ?? []);
const drop = (c, end) => ({
  [`${end}_node`]: c[end].node,
  [`${end}_port`]: c[end].port,
  [`${end}_channel`]: c[end].channel,
});
write(
  'circuits.csv',
  cols('circuits'),
  (t.circuits ?? []).map((c) => ({ ...c, ...drop(c, 'a'), ...drop(c, 'z') })),
);
write(
  'circuit_paths.csv',
  cols('paths'),
  (t.circuits ?? []).flatMap((c) =>
    ['working', 'protect'].flatMap((path) =>
      (c[path] ?? []).map((span, i) => ({ circuit: c.id, path, seq: i + 1, span })),
    ),
  ),
);
console.log(`wrote ${out}/*.csv from ${src}`);

// `ringguard topology import --from-csv DIR`: an EMS inventory export into the topology format.
// The example export in fixtures/inventory-csv is the demo network (scripts/gen-inventory-csv.mjs).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTopologyCsv, loadTopologyFile, loadTopologyOrThrow } from '../src/adapters/files/topology-file.js';
import { run } from './helpers/env.js';
import { DEMO } from './helpers/harness.js';
import { CLI, ROOT } from './helpers/serve.js';

const FIXTURE = join(ROOT, 'fixtures/inventory-csv');

describe('topology import from a CSV inventory export', () => {
  it('the example export imports to a topology that validates and equals the demo network', () => {
    const r = importTopologyCsv(FIXTURE, 'xiangtan-demo');
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const file = join(mkdtempSync(join(tmpdir(), 'rg-import-')), 'imported.yaml');
    writeFileSync(file, r.yaml);
    const imported = loadTopologyFile(file);
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
    // The demo writes `site: null` for customer equipment; a CSV cell cannot tell null from absent.
    const demo = structuredClone(loadTopologyOrThrow(DEMO).topology);
    for (const e of demo.equipment) if (e.site === null) delete e.site;
    expect(imported.graph.topology).toEqual(demo);
    expect(r.summary).toBe(
      'network xiangtan-demo: 2 rings, 11 nodes, 13 spans, 24 circuits, 18 access links, 54 equipment, 11 sites',
    );
  });

  it('`ringguard topology import --from-csv DIR` writes YAML on stdout that `topology check` accepts', async () => {
    const r = await run(process.execPath, [...CLI, 'topology', 'import', '--from-csv', FIXTURE], 30_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^network: inventory-csv$/m);
    expect(r.stderr).toMatch(/^ok: network inventory-csv: 2 rings, 11 nodes/m);
    const file = join(mkdtempSync(join(tmpdir(), 'rg-import-')), 'topology.yaml');
    writeFileSync(file, r.stdout);
    const check = await run(process.execPath, [...CLI, 'topology', 'check', file], 30_000);
    expect(check.code).toBe(0);
  }, 60_000);

  it('management columns become mgmt (v2c and v3)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-import-'));
    writeFileSync(
      join(dir, 'nodes.csv'),
      'ID,Name,mgmt_host,mgmt_port,mgmt_version,community,user,auth_protocol,auth_key\n' +
        'N1,Hub,10.0.0.1,161,,private,,,\n' +
        'N2,,10.0.0.2,,3,,noc,sha,secret12\n',
    );
    writeFileSync(join(dir, 'spans.csv'), 'id,a_node,a_port,z_node,z_port\nS1,N1,1-1,N2,1-1\n');
    const r = importTopologyCsv(dir);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const file = join(dir, 't.yaml');
    writeFileSync(file, r.yaml);
    const g = loadTopologyOrThrow(file);
    expect(g.nodes.get('N1')).toEqual({
      id: 'N1',
      name: 'Hub',
      mgmt: { host: '10.0.0.1', port: 161, community: 'private' },
    });
    expect(g.nodes.get('N2')?.mgmt).toMatchObject({
      host: '10.0.0.2',
      port: 161,
      version: 3,
      user: 'noc',
      authProtocol: 'sha',
    });
  });

  it('a broken export: each problem names the file and line, or the element by id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-import-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const spans = join(dir, 'spans.csv');
    writeFileSync(
      spans,
      readFileSync(spans, 'utf8').replace('CBL-0100,4', 'CBL-0100,four').replace('z_port,cable', 'z_port,cabel'),
    );
    const bad = importTopologyCsv(dir);
    expect(bad.ok ? [] : bad.problems).toEqual([
      `${spans}:1: unknown column "cabel"; known: id, a_node, a_port, z_node, z_port, cable, km`,
    ]);
    writeFileSync(spans, readFileSync(join(FIXTURE, 'spans.csv'), 'utf8').replace('CBL-0100,4', 'CBL-0100,four'));
    const paths = join(dir, 'circuit_paths.csv');
    writeFileSync(paths, readFileSync(paths, 'utf8') + 'CKT-0001,spare,9,S-A1-A2\n');
    const bad2 = importTopologyCsv(dir);
    expect(bad2.ok ? [] : bad2.problems).toEqual([
      `${spans}:2: column "km": "four" is not a number`,
      expect.stringMatching(/circuit_paths\.csv:\d+: column "path": "spare" is not working or protect$/),
    ]);
    writeFileSync(spans, readFileSync(join(FIXTURE, 'spans.csv'), 'utf8'));
    writeFileSync(
      paths,
      readFileSync(join(FIXTURE, 'circuit_paths.csv'), 'utf8').replace(
        'CKT-0001,working,2,S-A2-A3',
        'CKT-0001,working,2,S-X',
      ),
    );
    const bad3 = importTopologyCsv(dir);
    expect(bad3.ok ? [] : bad3.problems).toEqual([
      'circuits[0].working[1]: span "S-X" does not exist (circuit CKT-0001)',
    ]);
  });
});

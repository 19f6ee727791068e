// Topology validation (every rule of contract section 3, each naming its path) and the graph
// indexes the engines rely on.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readDocument } from '../src/adapters/files/document.js';
import { describe, expect, it } from 'vitest';
import { loadTopologyOrThrow } from '../src/adapters/files/topology-file.js';
import { TopologyGraph } from '../src/core/topology/graph.js';
import { parseTopology, formatProblem } from '../src/core/topology/validate.js';
import { DEMO } from './helpers/harness.js';

const demo = () => parse(readFileSync(DEMO, 'utf8'));

type Doc = ReturnType<typeof demo>;
const cases: Array<[string, (d: Doc) => void, string]> = [
  [
    'unknown span in a working path',
    (d) => {
      d.circuits[3].working[0] = 'S-9';
    },
    'circuits[3].working[0]: span "S-9" does not exist',
  ],
  [
    'unknown node of a span',
    (d) => {
      d.spans[0].a.node = 'XT-ZZ';
    },
    'spans[0].a.node: node "XT-ZZ" does not exist',
  ],
  [
    'unknown site of a node',
    (d) => {
      d.nodes[1].site = 'SITE-NOPE';
    },
    'nodes[1].site: site "SITE-NOPE" does not exist',
  ],
  [
    'unknown span in a ring',
    (d) => {
      d.rings[0].spans.push('S-NOPE');
    },
    'rings[0].spans[6]: span "S-NOPE" does not exist',
  ],
  [
    'unknown access link on a circuit',
    (d) => {
      d.circuits[0].access = ['ACC-NOPE'];
    },
    'circuits[0].access[0]: access link "ACC-NOPE" does not exist',
  ],
  [
    'unknown equipment on a circuit',
    (d) => {
      d.circuits[0].equipment = ['RTR-NOPE'];
    },
    'circuits[0].equipment[0]: equipment "RTR-NOPE" does not exist',
  ],
  [
    'unknown CPE of an access link',
    (d) => {
      d.accessLinks[0].cpe = 'CPE-NOPE';
    },
    'accessLinks[0].cpe: equipment "CPE-NOPE" does not exist',
  ],
  [
    'span used by two rings',
    (d) => {
      d.rings[1].spans.splice(5, 1, 'S-A1-A2');
    },
    'rings[1].spans[5]: span "S-A1-A2" is already in ring "RING-A"',
  ],
  [
    'ring that does not close',
    (d) => {
      d.rings[0].spans.pop();
    },
    'rings[0].spans: ring does not close: it ends at node "XT-A6", not at "XT-A1"',
  ],
  [
    'working path not contiguous',
    (d) => {
      d.circuits[0].working = ['S-A1-A2', 'S-A3-A4'];
    },
    'circuits[0].working[1]: span "S-A3-A4" does not continue the path from node "XT-A2"',
  ],
  [
    'working path ending at the wrong node',
    (d) => {
      d.circuits[0].working = ['S-A1-A2'];
    },
    'circuits[0].working: path ends at node "XT-A2", not at z node "XT-A3"',
  ],
  [
    'protect path not contiguous',
    (d) => {
      d.circuits[0].protect = ['S-A6-A1', 'S-A4-A5'];
    },
    'circuits[0].protect[1]: span "S-A4-A5" does not continue the path from node "XT-A6"',
  ],
  [
    'protect sharing a span with working',
    (d) => {
      d.circuits[4].protect = ['S-A1-A2'];
      d.circuits[4].working = ['S-A1-A2'];
    },
    'circuits[4].protect[0]: span "S-A1-A2" is also on the working path',
  ],
  [
    'duplicate node id',
    (d) => {
      d.nodes.push({ id: 'XT-A1' });
    },
    'nodes[11].id: duplicate id "XT-A1"',
  ],
  [
    'duplicate circuit id',
    (d) => {
      d.circuits[1].id = 'CKT-0001';
    },
    'circuits[1].id: duplicate id "CKT-0001"',
  ],
  [
    'duplicate drop',
    (d) => {
      d.circuits[1].a = { ...d.circuits[0].a };
    },
    'circuits[1].a: drop XT-A1 4-1:1 is already used by circuit "CKT-0001"',
  ],
  [
    'bad enum',
    (d) => {
      d.circuits[2].priority = 'gold';
    },
    'circuits[2].priority: Invalid option: expected one of "vip"|"high"|"normal"',
  ],
  [
    'missing field',
    (d) => {
      delete d.spans[2].z;
    },
    'spans[2].z: Invalid input: expected object, received undefined',
  ],
];

describe('topology validation', () => {
  it('accepts the demo network', () => {
    const r = parseTopology(demo());
    expect(r.ok).toBe(true);
  });

  it.each(cases)('rejects %s, naming the path', (_name, mutate, line) => {
    const d = demo();
    mutate(d);
    const r = parseTopology(d);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map(formatProblem)).toContain(line);
  });

  it('reports every problem, one line each', () => {
    const d = demo();
    d.circuits[3].working[0] = 'S-9';
    d.nodes.push({ id: 'XT-A1' });
    d.spans[0].a.node = 'XT-ZZ';
    const r = parseTopology(d);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.length).toBeGreaterThanOrEqual(3);
  });
});

describe('graph indexes', () => {
  const g = loadTopologyOrThrow(DEMO);
  it('finds the working and protect circuits of a span separately', () => {
    expect([...g.circuitsOnSpan('S-A2-A3', 'working')].sort()).toEqual([
      'CKT-0001',
      'CKT-0003',
      'CKT-0006',
      'CKT-0018',
      'CKT-0020',
    ]);
    expect(g.circuitsOnSpan('S-A2-A3', 'protect').includes('CKT-0002')).toBe(true);
    expect(g.circuitsOnSpan('S-A2-A3', 'protect').includes('CKT-0001')).toBe(false);
  });
  it('separates endpoint and transit circuits of a node, per path', () => {
    const a3 = g.circuitsAtNode('XT-A3');
    expect([...a3.endpoint].sort()).toEqual(['CKT-0001', 'CKT-0006', 'CKT-0020']);
    expect(a3.transitWorking.includes('CKT-0003')).toBe(true);
    expect(a3.transitProtect.includes('CKT-0002')).toBe(true);
    expect(a3.transitWorking.includes('CKT-0001')).toBe(false);
  });
  it('looks up drops by node, port and channel', () => {
    expect(g.dropAt('XT-B2', '4-1', 1)).toEqual({ circuit: 'CKT-0007', end: 'z' });
    expect(g.dropAt('XT-A1', '4-1', 21)).toEqual({ circuit: 'CKT-0024', end: 'a' });
    expect(g.dropAt('XT-A1', '4-1', 99)).toBeUndefined();
    expect(
      g
        .dropsOnPort('XT-A6', '4-1')
        .map((d) => d.circuit)
        .sort(),
    ).toEqual(['CKT-0004', 'CKT-0015', 'CKT-0022']);
  });
  it('maps ports to spans and access links, and equipment to circuits', () => {
    expect(g.spanAtPort('XT-A1', '1-1')).toBe('S-A1-A2');
    expect(g.accessAtPort('XT-A3', '11-1')).toBe('ACC-0001');
    expect([...g.circuitsOfEquipment('CPE-0001')]).toEqual(['CKT-0001']);
    expect(g.ringOfSpan('S-A4-A2')).toBe('RING-B');
    expect(g.ringOfSpan('S-A5-L1')).toBeUndefined();
    expect(g.nodesOfRing('RING-B')).toContain('XT-A4');
    expect(g.nodesOfSite('SITE-BS-035')).toEqual(['XT-B3']);
  });
});

describe('alarm objects', () => {
  it('splits PORT:CHANNEL, but keeps a port whose own name has a colon whole', () => {
    const d = demo();
    d.spans[0].a.port = '1:1';
    const r = parseTopology(d);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const g = new TopologyGraph(r.topology);
    expect(g.splitObject('XT-A1', '1:1')).toEqual({ port: '1:1' });
    expect(g.spanAtPort('XT-A1', '1:1')).toBe('S-A1-A2');
    expect(g.splitObject('XT-A1', '4-1:7')).toEqual({ port: '4-1', channel: 7 });
    expect(g.splitObject('XT-A1', '')).toEqual({ port: '' });
  });
});

describe('reading a topology file fast', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rg-topo-read-'));
  const write = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('reads the same document as the yaml library, and the graph built from it is the same', () => {
    const text = readFileSync(DEMO, 'utf8');
    const r = readDocument(write('demo.yaml', text), { fast: true });
    expect(r.ok && r.doc).toEqual(parse(text));
    const fromFile = loadTopologyOrThrow(DEMO);
    const fromDoc = parseTopology(parse(text));
    if (!fromDoc.ok) throw new Error('demo invalid');
    const plain = new TopologyGraph(fromDoc.topology);
    expect(fromFile.indexSizes()).toEqual(plain.indexSizes());
    for (const id of fromFile.circuits.keys()) expect(fromFile.pathNodes(id)).toEqual(plain.pathNodes(id));
  });

  it('a file with anchors and aliases still loads, and an alias bomb is refused', () => {
    const f = write(
      'alias.yaml',
      'network: n\nnodes:\n  - { id: N1, mgmt: &m { host: 127.0.0.1, community: public } }\n  - { id: N2, mgmt: *m }\n',
    );
    const g = loadTopologyOrThrow(f);
    expect(g.nodes.get('N2')?.mgmt).toEqual(g.nodes.get('N1')?.mgmt);
    const bomb = ['network: n', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10)
          .fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`)
          .join(', ')}]`,
      );
    const r = readDocument(write('bomb.yaml', bomb.join('\n') + '\n'), { fast: true });
    expect(r.ok ? '' : r.problems[0].message).toMatch(/alias/i);
  });

  it('a syntax or duplicate-key error is worded as before, with line and caret', () => {
    const dup = write('dup.yaml', 'network: n\nnetwork: m\nnodes: []\n');
    const fast = readDocument(dup, { fast: true });
    const slow = readDocument(dup);
    expect(fast.ok).toBe(false);
    expect(fast).toEqual(slow);
    expect(fast.ok ? '' : fast.problems[0].path).toBe(`${dup}:2:1`);
  });
});

// Writes fixtures/demo-network.yaml: a city dedicated-line network modelled on a real one.
// STM-16 MS-SPRing core ring (6 ADMs) and an STM-4 SNCP access ring (6 ADMs) that shares two
// gateway ADMs with the core, a linear spur, base-station sites with batteries, and 24
// customer circuits. Run: node scripts/gen-demo.mjs
import { writeFileSync } from 'node:fs';
import { Document, isMap, isScalar, visit } from 'yaml';
import { makeRing, ringPaths } from './topo-lib.mjs';

const coreNodes = ['XT-A1', 'XT-A2', 'XT-A3', 'XT-A4', 'XT-A5', 'XT-A6'];
const accNodes = ['XT-A2', 'XT-B1', 'XT-B2', 'XT-B3', 'XT-B4', 'XT-A4'];
const core = makeRing(
  'RING-A',
  'ms-spring',
  coreNodes,
  (a, b) => `S-${a.slice(3)}-${b.slice(3)}`,
  () => ['1-1', '2-1'],
);
const acc = makeRing(
  'RING-B',
  'sncp',
  accNodes,
  (a, b) => `S-${a.slice(3)}-${b.slice(3)}`,
  (a, b) => [a.startsWith('XT-A') ? '5-1' : '1-1', b.startsWith('XT-A') ? '6-1' : '2-1'],
);
core.ring.name = 'Xiangtan core STM-16 MS-SPRing';
core.ring.rate = 'STM-16';
acc.ring.name = 'Yuhu access STM-4 SNCP';
acc.ring.rate = 'STM-4';

const battery = {
  'XT-A1': 480,
  'XT-A2': 240,
  'XT-A3': 240,
  'XT-A4': 180,
  'XT-A5': 120,
  'XT-A6': 240,
  'XT-B1': 90,
  'XT-B2': 120,
  'XT-B3': 60,
  'XT-B4': 90,
  'XT-L1': 45,
};
const siteName = { 'XT-A1': 'Xiangtan hub (central office)', 'XT-L1': 'Shaoshan remote base station' };
const sites = Object.keys(battery).map((n, i) => ({
  id: n === 'XT-A1' ? 'SITE-CO-01' : `SITE-BS-${String(11 + i * 3).padStart(3, '0')}`,
  name: siteName[n] ?? `Base station ${String(11 + i * 3).padStart(3, '0')}`,
  batteryMinutes: battery[n],
}));
const siteOf = Object.fromEntries(Object.keys(battery).map((n, i) => [n, sites[i].id]));
const nodes = [...new Set([...coreNodes, ...accNodes, 'XT-L1'])].map((id) => ({ id, site: siteOf[id] }));
const spur = {
  id: 'S-A5-L1',
  a: { node: 'XT-A5', port: '7-1' },
  z: { node: 'XT-L1', port: '1-1' },
  cable: 'CBL-0207',
  km: 31.5,
};
const spans = [...core.spans, ...acc.spans, spur];
spans.forEach((s, i) => {
  s.cable ??= `CBL-${String(100 + i).padStart(4, '0')}`;
  s.km ??= Math.round((4 + ((i * 37) % 19)) * 10) / 10;
});

const customers = [
  ['Xiangtan Iron & Steel (湘钢)', 'vip'],
  ['Xiangtan Municipal Government', 'vip'],
  ['China Construction Bank Xiangtan', 'vip'],
  ['Xiangtan Central Hospital', 'vip'],
  ['State Tax Bureau Xiangtan', 'high'],
  ['Xiangtan Power Supply Co.', 'vip'],
  ['Xiangtan University', 'high'],
  ['Public Security Bureau', 'vip'],
  ['Xiangtan Water Works', 'high'],
  ['Agricultural Bank Yuhu Branch', 'high'],
  ['Hunan Electric Machinery', 'normal'],
  ['Jiuhua Logistics Park', 'normal'],
  ['Xiangtan Railway Station', 'high'],
  ['Yuhu District Hospital', 'high'],
  ['Bank of Changsha Xiangtan', 'high'],
  ['Xiangtan Middle School No.1', 'normal'],
  ['Geely Auto Xiangtan', 'high'],
  ['Xiangtan Gas Co.', 'normal'],
  ['Shaoshan Scenic Area Admin', 'normal'],
  ['Xiangtan Customs', 'vip'],
  ['Hunan Institute of Engineering', 'normal'],
  ['Xiangtan Metro Office', 'high'],
  ['China Post Xiangtan', 'normal'],
  ['Jiangnan Industrial Group', 'high'],
];
// [a node, z node, kind] ; kind: core | acc | cross | spur
const plan = [
  ['XT-A1', 'XT-A3', 'core'],
  ['XT-A1', 'XT-A5', 'core'],
  ['XT-A1', 'XT-A4', 'core'],
  ['XT-A1', 'XT-A6', 'core'],
  ['XT-A1', 'XT-A2', 'core'],
  ['XT-A1', 'XT-A3', 'core'],
  ['XT-A1', 'XT-B2', 'cross'],
  ['XT-A1', 'XT-B3', 'cross'],
  ['XT-A1', 'XT-B1', 'cross'],
  ['XT-A1', 'XT-B4', 'cross'],
  ['XT-A2', 'XT-B2', 'acc'],
  ['XT-A4', 'XT-B3', 'acc'],
  ['XT-A1', 'XT-A5', 'core'],
  ['XT-A1', 'XT-B2', 'cross'],
  ['XT-A1', 'XT-A6', 'core'],
  ['XT-A1', 'XT-A2', 'none'],
  ['XT-A1', 'XT-B1', 'cross'],
  ['XT-A1', 'XT-A4', 'core'],
  ['XT-A1', 'XT-L1', 'spur'],
  ['XT-A1', 'XT-A3', 'core'],
  ['XT-A2', 'XT-B4', 'acc'],
  ['XT-A1', 'XT-A6', 'none'],
  ['XT-A1', 'XT-L1', 'spur'],
  ['XT-A1', 'XT-B3', 'cross'],
];

const chan = {};
const nextDrop = (node) => {
  chan[node] = (chan[node] ?? 0) + 1;
  return { node, port: '4-1', channel: chan[node] };
};
const equipment = [];
const accessLinks = [];
const accessPort = {};
const circuits = plan.map(([a, z, kind], i) => {
  const n = String(i + 1).padStart(4, '0');
  const [customer, priority] = customers[i];
  let working, protect, protection;
  if (kind === 'core') {
    ({ working, protect } = ringPaths(core, a, z));
    protection = 'ms-spring';
  } else if (kind === 'acc') {
    ({ working, protect } = ringPaths(acc, a, z));
    protection = 'sncp';
  } else if (kind === 'cross') {
    // Working leaves the core at gateway XT-A4, protect at XT-A2; in RING-B neither uses the
    // gateway-to-gateway leg S-A4-A2, so the two paths share no span.
    const avoid = (p, span) => (p.working.includes(span) ? p.protect : p.working);
    const coreW = avoid(ringPaths(core, a, 'XT-A4'), 'S-A1-A2');
    const coreP = ['S-A1-A2'];
    working = [...coreW, ...avoid(ringPaths(acc, 'XT-A4', z), 'S-A4-A2')];
    protect = [...coreP, ...avoid(ringPaths(acc, 'XT-A2', z), 'S-A4-A2')];
    protection = 'sncp';
  } else if (kind === 'spur') {
    ({ working } = ringPaths(core, a, 'XT-A5'));
    working = [...working, 'S-A5-L1'];
    protection = 'none';
  } else {
    ({ working } = ringPaths(core, a, z));
    protection = 'none';
  }
  const c = {
    id: `CKT-${n}`,
    customer,
    priority,
    rate: i === 2 || i === 19 ? 'VC12x4' : 'E1',
    a: nextDrop(a),
    z: nextDrop(z),
    working,
    ...(protection !== 'none' ? { protect } : {}),
    protection,
  };
  if (i % 4 !== 3) {
    const cpe = { id: `CPE-${n}`, kind: i % 3 === 0 ? 'cpe-sdh' : 'cpe-pdh', site: null };
    const pc = { id: `PC-${n}`, kind: 'protocol-converter' };
    const rtr = { id: `RTR-${n}`, kind: 'router' };
    equipment.push(cpe, pc, rtr);
    accessPort[z] = (accessPort[z] ?? 0) + 1;
    const acl = {
      id: `ACC-${n}`,
      node: z,
      port: `11-${accessPort[z]}`,
      cpe: cpe.id,
      cable: `CBL-ACC-${n}`,
      km: 1 + (i % 5) * 0.7,
    };
    accessLinks.push(acl);
    c.access = [acl.id];
    c.equipment = [cpe.id, pc.id, rtr.id];
  }
  return c;
});

const doc = {
  network: 'xiangtan-demo',
  sites,
  nodes,
  spans,
  rings: [core.ring, acc.ring],
  equipment,
  accessLinks,
  circuits,
};
const header =
  '# Demo network (generated by scripts/gen-demo.mjs; edit the script, not this file).\n' +
  '# RING-A: STM-16 MS-SPRing core, 6 ADMs. RING-B: STM-4 SNCP access ring sharing XT-A2 and XT-A4.\n' +
  '# S-A5-L1: linear spur to a remote base station (unprotected).\n';
// Small leaf objects and lists on one line, the way people write topology files.
const ydoc = new Document(doc);
visit(ydoc, {
  Map(_, node) {
    if (node.items.every((p) => isScalar(p.value) || (isMap(p.value) && p.value.flow))) node.flow = true;
  },
  Seq(_, node) {
    if (node.items.every((v) => isScalar(v))) node.flow = true;
  },
});
writeFileSync(new URL('../fixtures/demo-network.yaml', import.meta.url), header + ydoc.toString({ lineWidth: 0 }));
console.log(
  `wrote fixtures/demo-network.yaml: ${nodes.length} nodes, ${spans.length} spans, ${circuits.length} circuits`,
);

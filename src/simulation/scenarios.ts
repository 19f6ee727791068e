// Drill scenarios derived from the topology (not hand-listed): the root alarms, the symptoms
// the network would also raise, the protection switches it would make, the clears, and what
// ringguard should conclude. Pure: no IO, no clock (offsets in ms).
import type { CircuitState, IncidentKind } from '../core/model.js';
import type { TopologyGraph } from '../core/topology/graph.js';
import type { Circuit } from '../core/topology/schema.js';

export type SimNotification =
  | { kind: 'raise' | 'clear'; node: string; object: string; alarmName: string; severity?: string }
  | { kind: 'switch'; node: string; object: string; state: 'toProtection' | 'toWorking' | 'failed' };

export interface Scenario {
  name: string;
  description: string;
  raise: SimNotification[];
  /** Sent after `--duration` (the repair). */
  clear: SimNotification[];
  expect: { incidents: IncidentKind[]; circuits: Record<string, CircuitState> };
}

export const SCENARIO_NAMES = [
  'span-cut',
  'single-fibre-cut',
  'node-failure',
  'power-failure',
  'access-fiber-cut',
  'cpe-failure',
  'e1-fault',
  'router-fault',
  'storm',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const SCENARIO_HELP: Record<ScenarioName, string> = {
  'span-cut': 'both fibres of the ring span carrying the most circuits are cut',
  'single-fibre-cut': 'one fibre of a ring span is cut (LOS one end, MS-RDI the other)',
  'node-failure': 'a ring node carrying transit and dropped circuits dies',
  'power-failure': 'a base station loses mains and runs on battery',
  'access-fiber-cut': 'the access fibre to a customer unit is cut',
  'cpe-failure': 'a customer-end SDH/PDH unit dies (dying gasp)',
  'e1-fault': 'a 2M tributary fails at one end of a circuit, transport clean',
  'router-fault': 'a customer router goes link-down, transport and 2M clean',
  storm: 'one span cut on every ring at once (plus 2M faults where the network is small)',
};

const drop = (d: Circuit['a']) => (d.channel != null ? `${d.port}:${d.channel}` : d.port);
const raise = (node: string, object: string, alarmName: string, severity = 'critical'): SimNotification => ({
  kind: 'raise',
  node,
  object,
  alarmName,
  severity,
});
type AlarmSim = Extract<SimNotification, { kind: 'raise' | 'clear' }>;
const clearOf = (n: SimNotification[]): SimNotification[] =>
  n.filter((x): x is AlarmSim => x.kind === 'raise').map((x) => ({ ...x, kind: 'clear' as const }));

function circuitsOnSpan(g: TopologyGraph, span: string): Circuit[] {
  return [...g.circuitsOnSpan(span, 'working')].map((id) => g.circuits.get(id)!);
}

/** Ring span with the most working circuits (ties: first in file order). */
function busiestSpan(g: TopologyGraph, exclude = new Set<string>()): string {
  let best: string | undefined;
  let n = -1;
  for (const r of g.topology.rings)
    for (const s of r.spans) {
      if (exclude.has(s)) continue;
      const c = g.circuitsOnSpan(s, 'working').length;
      if (c > n) {
        best = s;
        n = c;
      }
    }
  if (!best) throw new Error('the topology has no ring span to cut');
  return best;
}

/** Circuits' expected state after their working path is hit and the network switched. */
function switchedState(c: Circuit, hitProtect: (c: Circuit) => boolean): CircuitState {
  if (c.protection === 'none' || !c.protect?.length) return 'down';
  return hitProtect(c) ? 'down' : 'on-protection';
}

function cutSpan(g: TopologyGraph, span: string, fibres: 'both' | 'one', symptoms = true) {
  const s = g.spans.get(span)!;
  const ring = g.ringOfSpan(span);
  const protection = ring ? g.rings.get(ring)!.protection : 'none';
  const out: SimNotification[] = [raise(s.a.node, s.a.port, 'R_LOS')];
  out.push(fibres === 'both' ? raise(s.z.node, s.z.port, 'R_LOS') : raise(s.z.node, s.z.port, 'MS_RDI', 'minor'));
  const circuits = circuitsOnSpan(g, span);
  if (symptoms) {
    for (const c of circuits.slice(0, 12)) {
      out.push(raise(c.z.node, drop(c.z), 'TU_AIS', 'major'), raise(c.a.node, drop(c.a), 'LP_RDI', 'minor'));
    }
  }
  const switches: SimNotification[] = [];
  if (protection === 'ms-spring') {
    switches.push({ kind: 'switch', node: s.a.node, object: s.a.port, state: 'toProtection' });
    switches.push({ kind: 'switch', node: s.z.node, object: s.z.port, state: 'toProtection' });
  }
  for (const c of circuits)
    if (c.protection === 'sncp' && c.protect?.length)
      switches.push({ kind: 'switch', node: c.z.node, object: drop(c.z), state: 'toProtection' });
  const circuitsExpect: Record<string, CircuitState> = {};
  for (const c of circuits) {
    // MS-SPRing circuits switch only when the ring they cross here is MS-SPRing.
    if (c.protection === 'ms-spring' && protection !== 'ms-spring') continue;
    circuitsExpect[c.id] = switchedState(c, (x) => (x.protect ?? []).includes(span));
  }
  return { raise: [...out, ...switches], clear: clearOf(out), circuits: circuitsExpect };
}

export interface ScenarioOptions {
  /** false: the network does not switch (a protection-switch failure drill). */
  switches?: boolean;
  /** The span to cut (span-cut, single-fibre-cut); default the busiest ring span. */
  span?: string;
}

export function buildScenario(g: TopologyGraph, name: ScenarioName, opts: ScenarioOptions = {}): Scenario {
  if (opts.span !== undefined && !g.spans.has(opts.span)) throw new Error(`span "${opts.span}" does not exist`);
  const sc = scenario(g, name, opts.span);
  if (opts.switches !== false) return sc;
  // Without switch events every protected circuit that would have switched waits for one.
  return {
    ...sc,
    description: `${sc.description} — the network does not switch`,
    raise: sc.raise.filter((n) => n.kind !== 'switch'),
    expect: {
      ...sc.expect,
      circuits: Object.fromEntries(
        Object.entries(sc.expect.circuits).map(([id, st]) => [id, st === 'on-protection' ? 'switch-required' : st]),
      ),
    },
  };
}

function scenario(g: TopologyGraph, name: ScenarioName, chosenSpan?: string): Scenario {
  const base = { name, description: SCENARIO_HELP[name] };
  switch (name) {
    case 'span-cut':
    case 'single-fibre-cut': {
      const span = chosenSpan ?? busiestSpan(g);
      const r = cutSpan(g, span, name === 'span-cut' ? 'both' : 'one');
      return {
        ...base,
        description: `${base.description}: ${span}`,
        raise: r.raise,
        clear: r.clear,
        expect: { incidents: ['span-cut'], circuits: r.circuits },
      };
    }
    case 'node-failure': {
      // The ring node (not a gateway) with the most circuits through or at it.
      let best: string | undefined;
      let score = -1;
      for (const n of g.nodes.values()) {
        if (g.ringsOfNode(n.id).size !== 1 || g.spansOfNode(n.id).length < 2) continue;
        const nc = g.circuitsAtNode(n.id);
        const s = nc.transitWorking.length * 2 + nc.endpoint.length;
        if (s > score) {
          best = n.id;
          score = s;
        }
      }
      if (!best) throw new Error('the topology has no ring node to fail');
      const f = best;
      const ring = [...g.ringsOfNode(f)][0];
      const protection = g.rings.get(ring)!.protection;
      const out: SimNotification[] = [];
      const switches: SimNotification[] = [];
      for (const s of g.spansOfNode(f)) {
        const nb = g.farEnd(s, f)!;
        out.push(raise(nb.node, nb.port, 'R_LOS'));
        if (protection === 'ms-spring')
          switches.push({ kind: 'switch', node: nb.node, object: nb.port, state: 'toProtection' });
      }
      out.push(raise(f, '', 'NE_COMMU_BREAK', 'major'));
      const nc = g.circuitsAtNode(f);
      const circuits: Record<string, CircuitState> = {};
      for (const id of nc.endpoint) {
        const c = g.circuits.get(id)!;
        const far = c.a.node === f ? c.z : c.a;
        out.push(raise(far.node, drop(far), 'TU_AIS', 'major'));
        circuits[id] = 'down';
      }
      for (const id of nc.transitWorking) {
        if (nc.endpoint.includes(id)) continue;
        const c = g.circuits.get(id)!;
        if (c.protection === 'sncp' && c.protect?.length)
          switches.push({ kind: 'switch', node: c.z.node, object: drop(c.z), state: 'toProtection' });
        if (c.protection === 'ms-spring' && protection !== 'ms-spring') continue;
        circuits[id] = switchedState(c, (x) => g.pathNodes(x.id).protectNodes.includes(f));
      }
      return {
        ...base,
        description: `${base.description}: ${f}`,
        raise: [...out, ...switches],
        clear: clearOf(out),
        expect: { incidents: ['node-failure'], circuits },
      };
    }
    case 'power-failure': {
      let best: string | undefined;
      let score = -1;
      for (const n of g.nodes.values()) {
        if (!n.site) continue;
        const s = [...g.allCircuitsAtNode(n.id)].length;
        if (s > score && g.sites.get(n.site)?.batteryMinutes != null) {
          best = n.id;
          score = s;
        }
      }
      if (!best) throw new Error('the topology has no node at a site with battery minutes');
      const out = [raise(best, '', 'MAINS_FAIL')];
      const circuits: Record<string, CircuitState> = {};
      for (const id of g.circuitsAtNode(best).endpoint) circuits[id] = 'at-risk';
      for (const id of g.circuitsAtNode(best).transitWorking) circuits[id] = 'at-risk';
      return {
        ...base,
        description: `${base.description}: ${g.nodes.get(best)!.site} (${best})`,
        raise: out,
        clear: clearOf(out),
        expect: { incidents: ['site-power-failure'], circuits },
      };
    }
    case 'access-fiber-cut':
    case 'cpe-failure': {
      const link = g.topology.accessLinks.find((l) => g.circuitsOfAccess(l.id).size > 0);
      if (!link) throw new Error('the topology has no access link serving a circuit');
      const cid = [...g.circuitsOfAccess(link.id)][0];
      const c = g.circuits.get(cid)!;
      const d = c.a.node === link.node ? c.a : c.z;
      const out: SimNotification[] = name === 'cpe-failure' ? [raise(link.cpe, '', 'DYING_GASP')] : [];
      out.push(raise(link.node, link.port, 'R_LOS'), raise(d.node, drop(d), 'T_AIS', 'major'));
      const circuits = Object.fromEntries([...g.circuitsOfAccess(link.id)].map((id) => [id, 'down' as CircuitState]));
      return {
        ...base,
        description: `${base.description}: ${link.id} (${link.cpe}, ${c.customer})`,
        raise: out,
        clear: clearOf(out),
        expect: { incidents: [name === 'cpe-failure' ? 'cpe-failure' : 'access-fiber-cut'], circuits },
      };
    }
    case 'e1-fault': {
      const c = [...g.circuits.values()].find((x) => x.z.channel != null) ?? [...g.circuits.values()][0];
      const out = [raise(c.z.node, drop(c.z), 'T_ALOS', 'major'), raise(c.a.node, drop(c.a), 'E1_AIS', 'major')];
      return {
        ...base,
        description: `${base.description}: ${c.id} (${c.customer})`,
        raise: out,
        clear: clearOf(out),
        expect: { incidents: ['e1-tributary-fault'], circuits: { [c.id]: 'down' } },
      };
    }
    case 'router-fault': {
      const rtr = g.topology.equipment.find((e) => e.kind === 'router' && g.circuitsOfEquipment(e.id).size > 0);
      if (!rtr) throw new Error('the topology has no router serving a circuit');
      const out = [raise(rtr.id, 'GE0/0/0', 'linkDown', 'major')];
      const circuits = Object.fromEntries([...g.circuitsOfEquipment(rtr.id)].map((id) => [id, 'down' as CircuitState]));
      return {
        ...base,
        description: `${base.description}: ${rtr.id}`,
        raise: out,
        clear: clearOf(out),
        expect: { incidents: ['customer-equipment-fault'], circuits },
      };
    }
    case 'storm': {
      const used = new Set<string>();
      const all: Scenario['raise'] = [];
      const clears: Scenario['clear'] = [];
      const incidents: IncidentKind[] = [];
      const small = g.topology.rings.length < 20;
      for (const r of g.topology.rings) {
        // One span per ring whose end nodes no other chosen cut touches: independent faults.
        const span =
          r.spans.find((s) => {
            const sp = g.spans.get(s)!;
            return !used.has(sp.a.node) && !used.has(sp.z.node) && g.circuitsOnSpan(s, 'working').length > 0;
          }) ?? r.spans.find((s) => !used.has(g.spans.get(s)!.a.node) && !used.has(g.spans.get(s)!.z.node));
        if (!span) continue;
        const sp = g.spans.get(span)!;
        used.add(sp.a.node);
        used.add(sp.z.node);
        const cut = cutSpan(g, span, 'both', small);
        all.push(...cut.raise);
        clears.push(...cut.clear);
        incidents.push('span-cut');
      }
      if (small) {
        const spansCut = new Set(
          all
            .filter((n) => n.kind === 'raise')
            .map((n) => g.spanAtPort(n.node, n.object))
            .filter(Boolean),
        );
        const clean = [...g.circuits.values()].filter(
          (c) =>
            !c.working.some((s) => spansCut.has(s)) &&
            !(c.protect ?? []).some((s) => spansCut.has(s)) &&
            c.z.channel != null,
        );
        for (const c of clean.slice(0, 3)) {
          const out = [raise(c.z.node, drop(c.z), 'T_ALOS', 'major')];
          all.push(...out);
          clears.push(...clearOf(out));
          incidents.push('e1-tributary-fault');
        }
      }
      return { ...base, raise: all, clear: clears, expect: { incidents, circuits: {} } };
    }
  }
}

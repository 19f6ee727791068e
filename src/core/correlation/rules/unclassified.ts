// unclassified: whatever no rule explains, grouped per node. Never dropped.
import { R, type Rule } from '../types.js';
import { dropsOf } from './drops.js';

export const unclassified: Rule = {
  kind: 'unclassified',
  triggers: [],
  match(a, ctx) {
    const g = ctx.graph;
    const touches = new Set<string>();
    if (g.equipment.has(a.node)) for (const c of g.circuitsOfEquipment(a.node)) touches.add(c);
    else if (a.port) {
      const span = g.spanAtPort(a.node, a.port);
      if (span) {
        for (const c of g.circuitsOnSpan(span, 'working')) touches.add(c);
        for (const c of g.circuitsOnSpan(span, 'protect')) touches.add(c);
      }
      const acc = g.accessAtPort(a.node, a.port);
      if (acc) for (const c of g.circuitsOfAccess(acc)) touches.add(c);
      for (const d of dropsOf(g, a)) touches.add(d.circuit);
    } else if (g.nodes.has(a.node)) {
      // A node-wide alarm nobody understands may hit whatever the node carries: its dropped
      // circuits and those whose working path crosses it (what cannot be judged goes up).
      const nc = g.circuitsAtNode(a.node);
      for (const c of nc.endpoint) touches.add(c);
      for (const c of nc.transitWorking) touches.add(c);
    }
    const isEq = g.equipment.has(a.node);
    const span = a.port && !isEq ? g.spanAtPort(a.node, a.port) : undefined;
    const hint =
      a.type === 'IN-PWR-LOW'
        ? 'degrading fibre (receive power low)'
        : a.type.startsWith('UNKNOWN:')
          ? 'unknown vendor alarm'
          : 'no rule explains it';
    return {
      kind: 'unclassified',
      anchor: R.unclassified(a.node),
      root: true,
      related: [],
      location: isEq ? { equipment: [a.node] } : { nodes: [a.node] },
      explains: [],
      impact: { touches: [...touches] },
      detail: { types: [a.type], hint, ...(span && a.type === 'IN-PWR-LOW' ? { span } : {}) },
    };
  },
};

// equipment-fault: HW-FAIL on a ring NE (a board). A failed line board takes its span down;
// a failed tributary board takes the circuits dropped on it down.
import { R, type Rule } from '../types.js';

export const equipmentFault: Rule = {
  kind: 'equipment-fault',
  triggers: ['HW-FAIL'],
  match(a, ctx) {
    const g = ctx.graph;
    if (!g.nodes.has(a.node)) return undefined;
    const span = a.port ? g.spanAtPort(a.node, a.port) : undefined;
    const drops = !a.port ? [] : a.channel != null
      ? [g.dropAt(a.node, a.port, a.channel)].filter((d) => d !== undefined)
      : [...g.dropsOnPort(a.node, a.port)];
    const circuits = drops.map((d) => d.circuit);
    return {
      kind: 'equipment-fault',
      anchor: `hw:${a.node}`,
      root: true,
      related: [],
      location: { nodes: [a.node], spans: span ? [span] : [] },
      explains: [...(span ? [R.span(span)] : []), ...circuits.map(R.ckt)],
      impact: { spans: span ? [span] : [], circuits },
      detail: { node: a.node, boards: [a.object || '(NE)'] },
    };
  },
};

// A degrading span: error-rate or receive-power degradation (B2/B3/BIP EXC/DEG, IN-PWR-LOW) on a
// span port, from either end, is one incident per span that marks it `degraded`, never `cut`
// (kind `unclassified`: the contract has no degradation kind). It joins an open fault that
// already explains its place (a cut, a failed board). An early warning touches no circuit.
import { isDegrade } from '../../alarms/catalogue.js';
import { CATALOGUE } from '../../alarms/catalogue.js';
import { explainedBy, R, type Rule } from '../types.js';

export const degradedSpan: Rule = {
  kind: 'unclassified',
  triggers: CATALOGUE.filter((c) => isDegrade(c.type)).map((c) => c.type),
  match(a, ctx) {
    const span = a.port && ctx.graph.nodes.has(a.node) ? ctx.graph.spanAtPort(a.node, a.port) : undefined;
    if (!span) return undefined;
    const explained = explainedBy(a, ctx);
    if (explained) return explained;
    return {
      kind: 'unclassified',
      anchor: R.degraded(span),
      root: true,
      related: [],
      location: { spans: [span], nodes: [a.node] },
      explains: [],
      impact: {},
      detail: {
        span,
        degrade: true,
        types: [a.type],
        hint: a.type === 'IN-PWR-LOW' ? 'degrading fibre (receive power low)' : 'degrading section (error rate)',
      },
    };
  },
};

// A ring NE that is unreachable while nothing explains it (not failed, not powered down, not cut
// off): only its management channel is lost. No traffic impact; kept apart from the node's other
// unclassified alarms so it never touches a circuit (P4, duty level). Kind `unclassified`.
import { R, type Rule } from '../types.js';

export const managementFault: Rule = {
  kind: 'unclassified',
  triggers: ['NE-UNREACHABLE'],
  match(a, ctx) {
    if (!ctx.graph.nodes.has(a.node)) return undefined;
    return {
      kind: 'unclassified',
      anchor: R.mgmt(a.node),
      root: true,
      related: [],
      location: { nodes: [a.node] },
      explains: [],
      impact: {},
      detail: { types: [a.type], management: true, hint: 'management channel lost (DCN/DCC): no traffic impact seen' },
    };
  },
};

// access-fiber-cut: LOS on an access link's port while its CPE reports no DYING-GASP/HW-FAIL.
import { R, type Rule } from '../types.js';

export const accessFiberCut: Rule = {
  kind: 'access-fiber-cut',
  triggers: ['LOS', 'LOF'],
  match(a, ctx) {
    const g = ctx.graph;
    const acc = g.accessAtPort(a.node, a.port);
    if (!acc) return undefined;
    const link = g.accessLinks.get(acc)!;
    if (ctx.activeOn(link.cpe, 'DYING-GASP').length || ctx.activeOn(link.cpe, 'HW-FAIL').length) return undefined;
    return {
      kind: 'access-fiber-cut',
      anchor: R.access(acc),
      root: true,
      related: [],
      location: { accessLinks: [acc], nodes: [a.node], equipment: [link.cpe] },
      explains: [R.access(acc), R.eq(link.cpe)],
      impact: { access: [acc] },
      detail: { accessLink: acc, cable: link.cable ?? null, km: link.km ?? null, port: a.port, cpe: link.cpe },
    };
  },
};

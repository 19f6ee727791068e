// cpe-failure: DYING-GASP or HW-FAIL from a customer-end SDH/PDH unit; the access LOS that
// follows is its symptom.
import { lossAt, R, type Alarm, type Rule } from '../types.js';

export const cpeFailure: Rule = {
  kind: 'cpe-failure',
  triggers: ['DYING-GASP', 'HW-FAIL', 'LOS', 'LOF'],
  match(a, ctx) {
    const g = ctx.graph;
    let cpe: string;
    let dead: Alarm | undefined;
    if (a.type === 'LOS' || a.type === 'LOF') {
      const acc = g.accessAtPort(a.node, a.port);
      if (!acc) return undefined;
      cpe = g.accessLinks.get(acc)!.cpe;
      dead = ctx.activeOn(cpe, 'DYING-GASP')[0] ?? ctx.activeOn(cpe, 'HW-FAIL')[0];
      if (!dead) return undefined;
    } else {
      const eq = g.equipment.get(a.node);
      if (!eq || (eq.kind !== 'cpe-sdh' && eq.kind !== 'cpe-pdh')) return undefined;
      cpe = eq.id;
    }
    const links = g.accessOfCpe(cpe);
    const related: Array<{ alarm: Alarm; root: boolean }> = dead ? [{ alarm: dead, root: true }] : [];
    for (const l of links) {
      const link = g.accessLinks.get(l)!;
      const loss = lossAt(ctx, link.node, link.port);
      if (loss && loss !== a) related.push({ alarm: loss, root: false });
    }
    const reason = dead?.type ?? a.type;
    return {
      kind: 'cpe-failure',
      anchor: R.cpe(cpe),
      root: !dead,
      related,
      absorbs: links.map((l) => R.access(l)),
      location: { equipment: [cpe], accessLinks: [...links], nodes: links.map((l) => g.accessLinks.get(l)!.node) },
      explains: [R.eq(cpe), ...links.map(R.access)],
      impact: { equipment: [cpe] },
      detail: { cpe, cpeKind: g.equipment.get(cpe)?.kind ?? null, reason },
    };
  },
};

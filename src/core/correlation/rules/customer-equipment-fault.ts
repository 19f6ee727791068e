// customer-equipment-fault: a router's LINK-DOWN / NE-UNREACHABLE (or a protocol converter's
// fault) while transport, access, CPE and 2M of its circuits are clean.
import { explainedBy, R, type Alarm, type Rule } from '../types.js';

export const customerEquipmentFault: Rule = {
  kind: 'customer-equipment-fault',
  triggers: ['LINK-DOWN', 'NE-UNREACHABLE', 'HW-FAIL', 'DYING-GASP'],
  match(a, ctx) {
    const g = ctx.graph;
    const eq = g.equipment.get(a.node);
    if (!eq || eq.kind === 'cpe-sdh' || eq.kind === 'cpe-pdh') return undefined;
    const explained = explainedBy(a, ctx);
    if (explained) return explained;
    const related: Array<{ alarm: Alarm; root: boolean }> = [];
    const unreachable = ctx.active(eq.id, '', 'NE-UNREACHABLE');
    if (unreachable && unreachable !== a) related.push({ alarm: unreachable, root: a.type !== 'LINK-DOWN' });
    return {
      kind: 'customer-equipment-fault',
      anchor: R.customer(eq.id),
      root: true,
      related,
      location: { equipment: [eq.id] },
      explains: [R.eq(eq.id)],
      impact: { circuits: [...g.circuitsOfEquipment(eq.id)] },
      detail: { equipment: eq.id, equipmentKind: eq.kind, reason: a.type },
    };
  },
};

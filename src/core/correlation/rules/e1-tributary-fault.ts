// e1-tributary-fault: E1-LOS/E1-AIS at a circuit's 2M drop while its path, access and CPE are
// clean. The far end's E1-AIS is its symptom.
import { explainedBy, R, type Alarm, type Rule } from '../types.js';
import { dropsOf } from './drops.js';

export const e1TributaryFault: Rule = {
  kind: 'e1-tributary-fault',
  triggers: ['E1-LOS', 'E1-AIS'],
  match(a, ctx) {
    const explained = explainedBy(a, ctx);
    if (explained) return explained;
    const g = ctx.graph;
    const drop = dropsOf(g, a)[0];
    if (!drop) return undefined;
    const c = g.circuits.get(drop.circuit)!;
    const far = drop.end === 'a' ? c.z : c.a;
    const farObj = far.channel != null ? `${far.port}:${far.channel}` : far.port;
    const related: Array<{ alarm: Alarm; root: boolean }> = [];
    const farLos = ctx.active(far.node, farObj, 'E1-LOS');
    const farAis = ctx.active(far.node, farObj, 'E1-AIS');
    const sameAis = a.type === 'E1-LOS' ? ctx.active(a.node, a.object, 'E1-AIS') : undefined;
    if (farLos) related.push({ alarm: farLos, root: true });
    if (farAis) related.push({ alarm: farAis, root: false });
    if (sameAis) related.push({ alarm: sameAis, root: false });
    return {
      kind: 'e1-tributary-fault',
      anchor: R.e1(c.id),
      root: a.type === 'E1-LOS' || !farLos,
      related,
      location: { nodes: [...new Set([a.node, far.node])] },
      explains: [R.ckt(c.id)],
      impact: { circuits: [c.id] },
      detail: { circuit: c.id, customer: c.customer, drop: `${a.node} ${a.object}`, farEnd: `${far.node} ${farObj}` },
    };
  },
};

// A node taken for dead that speaks is alive: its own loss of signal on a span port, or any
// alarm of its own (not one the manager raises about it, such as NE-UNREACHABLE) stamped at or
// after the light towards it went out, contradicts the open incident that has it failed (a
// node-failure, or a site power failure whose battery ran out). That incident is then decided
// again from its alarms (e.g. one span cut per side of the live node), keeping its id and ticket.
// A late trap stamped before the death changes nothing.
import { layerOf } from '../../alarms/catalogue.js';
import type { Alarm, AlarmLedger } from '../../alarms/ledger.js';
import type { TopologyGraph } from '../../topology/graph.js';
import type { Incident } from '../incident.js';

const isLoss = (a: Alarm) => a.type === 'LOS' || a.type === 'LOF';

export function provesAlive(a: Alarm, dead: Incident, g: TopologyGraph, ledger: AlarmLedger): boolean {
  if (dead.state !== 'open' || !dead.impact.nodes.includes(a.node) || layerOf(a.type) === 'management') return false;
  if (isLoss(a) && g.spanAtPort(a.node, a.port)) return true;
  return a.raisedAt >= darkSince(a.node, dead, g, ledger);
}

/** When the light towards the node went out: the first loss facing it among the incident's alarms. */
function darkSince(node: string, inc: Incident, g: TopologyGraph, ledger: AlarmLedger): number {
  let since = Infinity;
  for (const id of inc.alarms) {
    const x = ledger.get(id);
    if (!x || !isLoss(x) || x.raisedAt >= since) continue;
    const span = g.spanAtPort(x.node, x.port);
    if (span && g.farEnd(span, x.node)?.node === node) since = x.raisedAt;
  }
  return since;
}

// A node taken for dead that speaks is alive: an alarm of its own (not one the manager raises
// about it, such as NE-UNREACHABLE) raised since its node-failure began, or its own loss of
// signal on a span port, contradicts the node-failure. The incident is then decided again from
// its alarms (e.g. one span cut per side of the live node), keeping its id and ticket.
import { layerOf } from '../../alarms/catalogue.js';
import type { Alarm } from '../../alarms/ledger.js';
import type { Incident } from '../incident.js';

export function provesAlive(a: Alarm, dead: Incident): boolean {
  if (dead.kind !== 'node-failure' || dead.state !== 'open' || layerOf(a.type) === 'management') return false;
  if ((a.type === 'LOS' || a.type === 'LOF') && a.port) return true;
  return a.raisedAt >= dead.openedAt;
}

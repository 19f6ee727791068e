// Circuit drops an alarm's object points at: `PORT:CHANNEL` is one drop; a bare tributary
// port is every drop on it.
import type { DropRef, TopologyGraph } from '../../topology/graph.js';
import type { Alarm } from '../types.js';

export function dropsOf(g: TopologyGraph, a: Pick<Alarm, 'node' | 'port' | 'channel'>): readonly DropRef[] {
  if (!a.port) return [];
  if (a.channel != null) {
    const d = g.dropAt(a.node, a.port, a.channel);
    return d ? [d] : [];
  }
  const d = g.dropAt(a.node, a.port);
  return d ? [d] : g.dropsOnPort(a.node, a.port);
}

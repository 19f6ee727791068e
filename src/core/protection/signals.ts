// Signal fail on spans straight from the active alarms, before (and whether or not) the
// correlator decides an incident: the network switches in 50 ms on these, and a short hit
// clears within the hold-down. Protection uses it to know whether the working path of a
// switched circuit was really hit and whether it is clean again.
import type { TopologyGraph } from '../topology/graph.js';

/** Section-layer defects that make a span signal-failed (G.841 SF conditions). */
export const SIGNAL_FAIL_TYPES: ReadonlySet<string> = new Set(['LOS', 'LOF', 'MS-AIS']);

export interface SignalAlarm {
  id: string;
  node: string;
  /** `PORT` (a span's ring port) or `PORT:CHANNEL`. */
  object: string;
  type: string;
  state: 'active' | 'cleared';
}

export class SignalIndex {
  /** span -> ids of the active signal-fail alarms on its ports. */
  private readonly bySpan = new Map<string, Set<string>>();

  constructor(private readonly graph: TopologyGraph) {}

  /** Records an alarm's current state; returns the span it concerns when that changed anything. */
  apply(a: SignalAlarm): string | undefined {
    if (!SIGNAL_FAIL_TYPES.has(a.type)) return undefined;
    const { port, channel } = this.graph.splitObject(a.node, a.object);
    const span = channel == null ? this.graph.spanAtPort(a.node, port) : undefined;
    if (!span) return undefined;
    let ids = this.bySpan.get(span);
    if (a.state === 'active') {
      if (ids?.has(a.id)) return undefined;
      if (!ids) this.bySpan.set(span, (ids = new Set()));
      ids.add(a.id);
      return span;
    }
    if (!ids?.delete(a.id)) return undefined;
    if (!ids.size) this.bySpan.delete(span);
    return span;
  }

  failed(span: string): boolean {
    return this.bySpan.has(span);
  }

  anyFailed(spans: readonly string[]): boolean {
    return spans.some((s) => this.bySpan.has(s));
  }
}

// node-failure: loss of signal towards one node from every ring neighbour (on every ring it
// is on), with or without its NE-UNREACHABLE, while the node itself reports no loss of its own
// (a live node cut off on every side is one span cut per side), nor any alarm of its own since
// the light towards it went out (a dead NE sends no traps). A leaf node (one neighbour) also needs its
// NE-UNREACHABLE, otherwise it is a span cut. At a site on battery the node's death belongs
// to the power incident.
import { lossAt, R, type Alarm, type Rule, type RuleContext } from '../types.js';

/** The node raised an alarm of its own since the light towards it went out: it is alive. */
function heardSince(ctx: RuleContext, node: string, losses: readonly Alarm[]): boolean {
  const heard = ctx.lastHeard(node);
  return heard !== undefined && heard >= Math.min(...losses.map((l) => l.raisedAt));
}

export const nodeFailure: Rule = {
  kind: 'node-failure',
  triggers: ['LOS', 'LOF'],
  match(a, ctx) {
    const g = ctx.graph;
    const span = g.spanAtPort(a.node, a.port);
    if (!span) return undefined;
    const failed = g.farEnd(span, a.node)!.node;
    const all = g.spansOfNode(failed);
    const ringSpans = all.filter((s) => g.ringOfSpan(s) !== undefined);
    const considered = ringSpans.length >= 2 ? ringSpans : all;
    const unreachable = ctx.active(failed, '', 'NE-UNREACHABLE');
    if (considered.length < 2 && !unreachable) return undefined;
    const losses: Alarm[] = [];
    for (const s of considered) {
      const nb = g.farEnd(s, failed)!;
      const loss = lossAt(ctx, nb.node, nb.port);
      if (!loss) return undefined;
      // A node that reports losing the light from its neighbours is alive: cut off, not dead
      // (one span cut per side, one cable job each).
      if (lossAt(ctx, failed, g.portOn(s, failed)!)) return undefined;
      losses.push(loss);
    }
    if (heardSince(ctx, failed, losses)) return undefined;
    const site = g.nodes.get(failed)?.site ?? null;
    const explains = [R.node(failed), ...considered.map(R.span)];
    const absorbs = [...considered.map((s) => R.span(s)), R.node(failed)];
    const power = site ? ctx.openIncidentFor(R.site(site)) : undefined;
    if (power && power.kind === 'site-power-failure') {
      return {
        kind: 'site-power-failure',
        anchor: power.anchor,
        root: false,
        related: [
          ...losses.filter((l) => l !== a).map((alarm) => ({ alarm, root: false })),
          ...(unreachable ? [{ alarm: unreachable, root: false }] : []),
        ],
        absorbs,
        location: { nodes: [failed] },
        explains,
        impact: { nodes: [failed] },
        detail: { nodesDown: [failed] },
      };
    }
    return {
      kind: 'node-failure',
      anchor: R.node(failed),
      root: true,
      related: [
        ...losses.filter((l) => l !== a).map((alarm) => ({ alarm, root: true })),
        ...(unreachable ? [{ alarm: unreachable, root: false }] : []),
      ],
      absorbs,
      location: { nodes: [failed], sites: site ? [site] : [], spans: [] },
      explains,
      impact: { nodes: [failed] },
      detail: { node: failed, neighbours: losses.map((l) => l.node), unreachable: !!unreachable },
    };
  },
};

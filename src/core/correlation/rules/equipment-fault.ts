// equipment-fault: HW-FAIL on a ring NE (a board). A failed line board takes its span down: the
// LOS/LOF it causes at either end of that span (the far end sees no light) is its symptom, not a
// cable cut, whichever is decided first. A failed tributary board takes the circuits dropped
// on it down.
import { lossAt, R, type Alarm, type Hypothesis, type Rule, type RuleContext } from '../types.js';

/** HW-FAIL (evidence, in hold-down too) on the board of either end of a span. */
function boardOf(ctx: RuleContext, span: string): Alarm | undefined {
  const s = ctx.graph.spans.get(span)!;
  return ctx.evidence(s.a.node, s.a.port, 'HW-FAIL') ?? ctx.evidence(s.z.node, s.z.port, 'HW-FAIL');
}

function boardFault(hw: Alarm, ctx: RuleContext): Hypothesis {
  const g = ctx.graph;
  const span = hw.port ? g.spanAtPort(hw.node, hw.port) : undefined;
  const drops = !hw.port
    ? []
    : hw.channel != null
      ? [g.dropAt(hw.node, hw.port, hw.channel)].filter((d) => d !== undefined)
      : [...g.dropsOnPort(hw.node, hw.port)];
  const circuits = drops.map((d) => d.circuit);
  const related: Array<{ alarm: Alarm; root: boolean }> = [{ alarm: hw, root: true }];
  if (span) {
    const far = g.farEnd(span, hw.node)!;
    for (const end of [{ node: hw.node, port: hw.port }, far]) {
      const loss = lossAt(ctx, end.node, end.port);
      if (loss) related.push({ alarm: loss, root: false });
    }
  }
  return {
    kind: 'equipment-fault',
    anchor: R.board(hw.node),
    root: true,
    related,
    demotes: true,
    absorbs: span ? [R.span(span)] : [],
    location: { nodes: [hw.node], spans: span ? [span] : [] },
    explains: [...(span ? [R.span(span)] : []), ...circuits.map(R.ckt)],
    impact: { spans: span ? [span] : [], circuits },
    detail: { node: hw.node, boards: [hw.object || '(NE)'], ...(span ? { span } : {}) },
  };
}

export const equipmentFault: Rule = {
  kind: 'equipment-fault',
  triggers: ['HW-FAIL', 'LOS', 'LOF'],
  match(a, ctx) {
    const g = ctx.graph;
    if (!g.nodes.has(a.node)) return undefined;
    if (a.type === 'HW-FAIL') return boardFault(a, ctx);
    const span = g.spanAtPort(a.node, a.port);
    const hw = span ? boardOf(ctx, span) : undefined;
    if (!hw) return undefined;
    const hyp = boardFault(hw, ctx);
    return { ...hyp, root: false, related: hyp.related.filter((r) => r.alarm !== a) };
  },
};

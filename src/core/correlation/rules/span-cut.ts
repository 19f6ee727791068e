// span-cut: LOS/LOF on both ends of a span (both fibres), or LOS on one end with MS-RDI on the
// other (one fibre). A lone LOS on a span port is also taken as a cut (fibres: one) and is
// upgraded when the other end reports.
import { lossAt, R, type Rule } from '../types.js';

export const spanCut: Rule = {
  kind: 'span-cut',
  triggers: ['LOS', 'LOF'],
  match(a, ctx) {
    const g = ctx.graph;
    const span = g.spanAtPort(a.node, a.port);
    if (!span) return undefined;
    const far = g.farEnd(span, a.node)!;
    const farLoss = lossAt(ctx, far.node, far.port);
    const farRdi = ctx.evidence(far.node, far.port, 'MS-RDI');
    const nearRdi = ctx.evidence(a.node, a.port, 'MS-RDI');
    const related = [
      ...(farLoss ? [{ alarm: farLoss, root: true }] : []),
      ...(farRdi ? [{ alarm: farRdi, root: false }] : []),
      ...(nearRdi ? [{ alarm: nearRdi, root: false }] : []),
    ];
    for (const end of [{ node: a.node, port: a.port }, far]) {
      const weak = ctx.evidence(end.node, end.port, 'IN-PWR-LOW');
      if (weak) related.push({ alarm: weak, root: false });
    }
    const before = ctx.openIncidentFor(R.span(span));
    const both = !!farLoss || before?.detail.fibres === 'both';
    const s = g.spans.get(span)!;
    return {
      kind: 'span-cut',
      anchor: R.span(span),
      root: true,
      related,
      location: { spans: [span], nodes: [s.a.node, s.z.node] },
      explains: [R.span(span)],
      impact: { spans: [span] },
      detail: {
        fibres: both ? 'both' : 'one',
        evidence: both ? 'los-both-ends' : farRdi ? 'los-and-far-end-ms-rdi' : 'los-one-end',
        ring: g.ringOfSpan(span) ?? null,
        cable: s.cable ?? null,
        km: s.km ?? null,
      },
    };
  },
};

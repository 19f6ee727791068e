// The loaded network with live status derived from the open incidents.
import type { IncidentView } from '../../core/model.js';
import type { TopologyGraph } from '../../core/topology/graph.js';

export type SpanStatus = 'ok' | 'cut' | 'one-fibre' | 'degraded' | 'down';

export function liveTopology(g: TopologyGraph, open: IncidentView[]) {
  const spanStatus = new Map<string, { status: SpanStatus; incidents: string[] }>();
  const nodeStatus = new Map<string, { status: string; incidents: string[] }>();
  const siteStatus = new Map<string, { status: string; incidents: string[]; batteryEndsAt: unknown }>();
  const mark = <T extends { incidents: string[] }>(m: Map<string, T>, k: string, v: T) => {
    const cur = m.get(k);
    m.set(k, cur ? { ...v, incidents: [...cur.incidents, ...v.incidents] } : v);
  };
  for (const i of open) {
    if (i.detail.mergedInto) continue;
    if (i.kind === 'span-cut') for (const s of i.spans) mark(spanStatus, s, { status: i.detail.fibres === 'both' ? 'cut' : 'one-fibre', incidents: [i.id] });
    if (i.kind === 'equipment-fault') for (const s of i.spans) mark(spanStatus, s, { status: 'down', incidents: [i.id] });
    if (i.kind === 'unclassified' && typeof i.detail.span === 'string') mark(spanStatus, i.detail.span, { status: 'degraded', incidents: [i.id] });
    if (i.kind === 'node-failure') for (const n of i.nodes) mark(nodeStatus, n, { status: 'failed', incidents: [i.id] });
    if (i.kind === 'site-power-failure') {
      for (const s of i.sites) mark(siteStatus, s, { status: 'power-fail', incidents: [i.id], batteryEndsAt: i.detail.batteryEndsAt ?? null });
      const down = new Set((i.detail.nodesDown as string[] | undefined) ?? []);
      for (const n of i.nodes) mark(nodeStatus, n, { status: down.has(n) ? 'failed' : 'on-battery', incidents: [i.id] });
    }
    if (i.kind === 'equipment-fault') for (const n of i.nodes) if (!nodeStatus.has(n)) mark(nodeStatus, n, { status: 'board-fault', incidents: [i.id] });
  }
  const t = g.topology;
  return {
    network: t.network,
    rings: t.rings.map((r) => ({ id: r.id, name: r.name ?? null, protection: r.protection, spans: r.spans, nodes: [...g.nodesOfRing(r.id)] })),
    nodes: t.nodes.map((n) => ({ id: n.id, site: n.site ?? null, rings: [...g.ringsOfNode(n.id)], managed: !!n.mgmt, ...(nodeStatus.get(n.id) ?? { status: 'ok', incidents: [] }) })),
    spans: t.spans.map((s) => ({ id: s.id, a: s.a, z: s.z, ring: g.ringOfSpan(s.id) ?? null, cable: s.cable ?? null, km: s.km ?? null, ...(spanStatus.get(s.id) ?? { status: 'ok', incidents: [] }) })),
    sites: t.sites.map((s) => ({ id: s.id, name: s.name ?? null, batteryMinutes: s.batteryMinutes ?? null, ...(siteStatus.get(s.id) ?? { status: 'ok', incidents: [], batteryEndsAt: null }) })),
    accessLinks: t.accessLinks,
    equipment: t.equipment.map((e) => ({ id: e.id, kind: e.kind })),
    counts: { rings: t.rings.length, nodes: t.nodes.length, spans: t.spans.length, circuits: t.circuits.length, openIncidents: open.filter((i) => !i.detail.mergedInto).length },
  };
}

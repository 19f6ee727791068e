// The loaded network with live status derived from the open incidents.
import type { IncidentView } from '../../core/model.js';
import type { TopologyGraph } from '../../core/topology/graph.js';
import { liveStatus } from '../../shared/live-status.js';

export function liveTopology(g: TopologyGraph, open: IncidentView[]) {
  const live = liveStatus(open);
  const t = g.topology;
  return {
    network: t.network,
    rings: t.rings.map((r) => ({
      id: r.id,
      name: r.name ?? null,
      protection: r.protection,
      spans: r.spans,
      nodes: [...g.nodesOfRing(r.id)],
    })),
    nodes: t.nodes.map((n) => ({
      id: n.id,
      site: n.site ?? null,
      rings: [...g.ringsOfNode(n.id)],
      managed: !!n.mgmt,
      ...(live.nodes.get(n.id) ?? { status: 'ok', incidents: [] }),
    })),
    spans: t.spans.map((s) => ({
      id: s.id,
      a: s.a,
      z: s.z,
      ring: g.ringOfSpan(s.id) ?? null,
      cable: s.cable ?? null,
      km: s.km ?? null,
      ...(live.spans.get(s.id) ?? { status: 'ok', incidents: [] }),
    })),
    sites: t.sites.map((s) => ({
      id: s.id,
      name: s.name ?? null,
      batteryMinutes: s.batteryMinutes ?? null,
      ...(live.sites.get(s.id) ?? { status: 'ok', incidents: [], batteryEndsAt: null }),
    })),
    accessLinks: t.accessLinks,
    equipment: t.equipment.map((e) => ({ id: e.id, kind: e.kind })),
    counts: {
      rings: t.rings.length,
      nodes: t.nodes.length,
      spans: t.spans.length,
      circuits: t.circuits.length,
      openIncidents: open.filter((i) => !i.mergedInto).length,
    },
  };
}

/** Where a circuit runs (GET /api/v1/circuits/:id): its drops, both paths, access links and customer equipment. */
export function circuitRoute(g: TopologyGraph, id: string) {
  const c = g.circuits.get(id);
  if (!c) return null;
  return {
    a: c.a,
    z: c.z,
    working: c.working,
    protect: c.protect ?? [],
    access: c.access ?? [],
    equipment: c.equipment ?? [],
  };
}

// Live status of spans, nodes, sites, access links and customer equipment from the open
// incidents. Shared by the server (GET /api/v1/topology) and the NOC page, which keeps it
// current from the event stream. No imports: it is compiled for Node and for the browser.

export interface IncidentLike {
  id: string;
  kind: string;
  state: string;
  spans: string[];
  nodes: string[];
  sites: string[];
  accessLinks?: string[];
  equipment?: string[];
  detail: Record<string, unknown>;
  mergedInto?: string | null;
}

export type SpanStatus = 'ok' | 'cut' | 'one-fibre' | 'degraded' | 'down';
export type NodeStatus = 'ok' | 'failed' | 'on-battery' | 'board-fault';

export interface Status<S> {
  status: S;
  incidents: string[];
}

export interface LiveStatus {
  spans: Map<string, Status<SpanStatus>>;
  nodes: Map<string, Status<NodeStatus>>;
  sites: Map<string, Status<'power-fail'> & { batteryEndsAt: unknown }>;
  access: Map<string, Status<'cut'>>;
  equipment: Map<string, Status<'failed'>>;
}

const EQUIPMENT_KINDS = new Set(['cpe-failure', 'customer-equipment-fault']);

export function liveStatus(incidents: Iterable<IncidentLike>): LiveStatus {
  const out: LiveStatus = {
    spans: new Map(),
    nodes: new Map(),
    sites: new Map(),
    access: new Map(),
    equipment: new Map(),
  };
  const mark = <S>(m: Map<string, Status<S>>, k: string, status: S, id: string, keep = false) => {
    const cur = m.get(k);
    if (cur && keep) return;
    m.set(k, { status, incidents: cur ? [...cur.incidents, id] : [id] });
  };
  for (const i of incidents) {
    if (i.state !== 'open' || i.mergedInto) continue;
    if (i.kind === 'span-cut')
      for (const s of i.spans) mark(out.spans, s, i.detail.fibres === 'both' ? 'cut' : 'one-fibre', i.id);
    if (i.kind === 'equipment-fault') for (const s of i.spans) mark(out.spans, s, 'down', i.id);
    if (i.kind === 'unclassified' && typeof i.detail.span === 'string')
      mark(out.spans, i.detail.span, 'degraded', i.id);
    if (i.kind === 'node-failure') for (const n of i.nodes) mark(out.nodes, n, 'failed', i.id);
    if (i.kind === 'site-power-failure') {
      for (const s of i.sites)
        out.sites.set(s, { status: 'power-fail', incidents: [i.id], batteryEndsAt: i.detail.batteryEndsAt ?? null });
      const down = new Set((i.detail.nodesDown as string[] | undefined) ?? []);
      for (const n of i.nodes) mark(out.nodes, n, down.has(n) ? 'failed' : 'on-battery', i.id);
    }
    if (i.kind === 'equipment-fault') for (const n of i.nodes) mark(out.nodes, n, 'board-fault', i.id, true);
    if (i.kind === 'access-fiber-cut') for (const a of i.accessLinks ?? []) mark(out.access, a, 'cut', i.id);
    if (EQUIPMENT_KINDS.has(i.kind)) for (const e of i.equipment ?? []) mark(out.equipment, e, 'failed', i.id);
  }
  return out;
}

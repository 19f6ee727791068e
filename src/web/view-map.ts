// The network drawn: each ring as a circle of its nodes, with the spurs (spans in no ring),
// access links and customer ends hanging outwards from the node they start at; a selected
// circuit's working and protection paths drawn over it (the active one solid).
import type { LiveStatus } from '../shared/live-status.js';
import { due, esc, tr, type Ctx } from './html.js';
import type { Route, Topo } from './types.js';

const SIZE = 380;
const C = SIZE / 2;
const R = 95;
export const MAX_RINGS = 12;

interface P { x: number; y: number; a: number }
interface Hang { kind: 'spur' | 'access'; id: string; from: string; p: P; q: P; far: string; farInRing: boolean }
interface Card { id: string; title: string; sub: string; ring: boolean; spans: string[]; nodes: string[]; pos: Map<string, P>; hangs: Hang[]; words: string[] }

const polar = (r: number, a: number): P => ({ x: Math.round((C + r * Math.cos(a)) * 10) / 10, y: Math.round((C + r * Math.sin(a)) * 10) / 10, a });

function index(topo: Topo) {
  const spurs = new Map<string, Topo['spans']>();
  for (const s of topo.spans) {
    if (s.ring) continue;
    for (const n of [s.a.node, s.z.node]) spurs.set(n, [...(spurs.get(n) ?? []), s]);
  }
  const access = new Map<string, NonNullable<Topo['accessLinks']>>();
  for (const l of topo.accessLinks ?? []) access.set(l.node, [...(access.get(l.node) ?? []), l]);
  const rings = new Map(topo.nodes.map((n) => [n.id, n.rings]));
  return { spurs, access, rings };
}

/** Spurs and access links hanging off `node` (at `p`), outwards, depth first; `seen` keeps each drawn once. */
function hangFrom(ix: ReturnType<typeof index>, node: string, p: P, r: number, seen: Set<string>, out: Hang[], pos: Map<string, P>): void {
  const items = [...(ix.spurs.get(node) ?? []).filter((s) => !seen.has(s.id)).map((s) => ({ kind: 'spur' as const, id: s.id, far: s.a.node === node ? s.z.node : s.a.node })),
    ...(ix.access.get(node) ?? []).filter((l) => !seen.has(l.id)).map((l) => ({ kind: 'access' as const, id: l.id, far: l.cpe }))];
  const step = Math.min(0.22, 1.0 / Math.max(1, items.length));
  items.forEach((it, k) => {
    seen.add(it.id);
    const a = p.a + (k - (items.length - 1) / 2) * step;
    const q = polar(r + (it.kind === 'spur' ? 55 : 24), a);
    const farInRing = it.kind === 'spur' && (ix.rings.get(it.far)?.length ?? 0) > 0;
    out.push({ ...it, from: node, p, q, farInRing });
    if (it.kind === 'spur' && !farInRing && !pos.has(it.far)) {
      pos.set(it.far, q);
      hangFrom(ix, it.far, q, r + 55, seen, out, pos);
    }
  });
}

const cache = new WeakMap<Topo, Card[]>();

/** The cards of a topology: geometry only (status is applied when drawing). Computed once per topology. */
export function layout(topo: Topo): Card[] {
  const hit = cache.get(topo);
  if (hit) return hit;
  const ix = index(topo);
  const seen = new Set<string>();
  const cards: Card[] = topo.rings.map((r) => {
    const pos = new Map(r.nodes.map((n, i) => [n, polar(R, (2 * Math.PI * i) / r.nodes.length - Math.PI / 2)] as const));
    const hangs: Hang[] = [];
    for (const n of r.nodes) if ((ix.rings.get(n) ?? [])[0] === r.id) hangFrom(ix, n, pos.get(n)!, R, seen, hangs, pos);
    const words = [r.id, r.name ?? '', ...pos.keys(), ...hangs.map((h) => h.id), ...hangs.map((h) => h.far)];
    return { id: r.id, title: r.id, sub: `${r.protection.toUpperCase()}${r.name ? ' · ' + r.name : ''}`, ring: true, spans: r.spans, nodes: r.nodes, pos, hangs, words };
  });
  // Nodes in no ring and on no spur of a ring: one card of linear links, nodes in a row.
  const placed = new Set(cards.flatMap((c) => [...c.pos.keys()]));
  const rest = topo.nodes.filter((n) => !placed.has(n.id));
  if (rest.length) {
    const pos = new Map(rest.map((n, i) => [n.id, { x: 30 + ((SIZE - 60) * (i % 6)) / 5, y: 60 + 110 * Math.floor(i / 6), a: Math.PI / 2 }] as const));
    const spans = topo.spans.filter((s) => !s.ring && !seen.has(s.id) && pos.has(s.a.node) && pos.has(s.z.node)).map((s) => s.id);
    const hangs: Hang[] = [];
    for (const l of topo.accessLinks ?? []) {
      const p = pos.get(l.node);
      if (p && !seen.has(l.id)) hangs.push({ kind: 'access', id: l.id, from: l.node, p, q: { x: p.x, y: p.y + 30, a: p.a }, far: l.cpe, farInRing: false });
    }
    cards.push({ id: '(linear)', title: '', sub: '', ring: false, spans, nodes: rest.map((n) => n.id), pos, hangs, words: [...pos.keys(), ...spans] });
  }
  cache.set(topo, cards);
  return cards;
}

export interface MapInput {
  topo: Topo;
  live: LiveStatus;
  query: string;
  onlyFaulty: boolean;
  route: { id: string; route: Route; active: 'working' | 'protection' } | null;
}

type Status = (id: string) => string;

function faulty(card: Card, span: Status, node: Status, access: Status, equip: Status): boolean {
  return card.spans.some((s) => span(s) !== 'ok') || [...card.pos.keys()].some((n) => node(n) !== 'ok')
    || card.hangs.some((h) => (h.kind === 'spur' ? span(h.id) : access(h.id)) !== 'ok' || equip(h.far) !== 'ok');
}

function onRoute(card: Card, route: MapInput['route']): boolean {
  if (!route) return false;
  const ids = new Set([...route.route.working, ...route.route.protect, ...route.route.access]);
  return card.spans.some((s) => ids.has(s)) || card.hangs.some((h) => ids.has(h.id));
}

export function drawMap(ctx: Ctx, input: MapInput): { html: string; shown: number; total: number } {
  const { topo, live } = input;
  const span: Status = (id) => live.spans.get(id)?.status ?? 'ok';
  const node: Status = (id) => live.nodes.get(id)?.status ?? 'ok';
  const access: Status = (id) => live.access.get(id)?.status ?? 'ok';
  const equip: Status = (id) => live.equipment.get(id)?.status ?? 'ok';
  const cards = layout(topo);
  const q = input.query.trim().toLowerCase();
  const match = (c: Card) => !q || c.words.some((w) => w.toLowerCase().includes(q));
  const big = topo.rings.length > MAX_RINGS;
  let shown = cards.filter((c) => {
    const f = faulty(c, span, node, access, equip);
    const r = onRoute(c, input.route);
    if (input.onlyFaulty) return (f || r) && match(c);
    if (big) return r || (q ? match(c) : f);
    return match(c) || r;
  });
  shown.sort((a, b) => Number(onRoute(b, input.route)) - Number(onRoute(a, input.route)) || Number(faulty(b, span, node, access, equip)) - Number(faulty(a, span, node, access, equip)));
  shown = shown.slice(0, MAX_RINGS);
  const html = shown.map((c) => drawCard(ctx, c, topo, input, { span, node, access, equip }, faulty(c, span, node, access, equip))).join('');
  return { html, shown: shown.filter((c) => c.ring).length, total: topo.rings.length };
}

function drawCard(ctx: Ctx, card: Card, topo: Topo, input: MapInput, st: Record<'span' | 'node' | 'access' | 'equip', Status>, isFaulty: boolean): string {
  const spanById = new Map(topo.spans.map((s) => [s.id, s]));
  const siteOf = new Map(topo.nodes.map((n) => [n.id, n.site]));
  const shared = new Set(topo.nodes.filter((n) => n.rings.length > 1).map((n) => n.id));
  const line = (p: P, q: P, attrs: string, title: string) => `<line ${attrs} x1="${p.x}" y1="${p.y}" x2="${q.x}" y2="${q.y}"><title>${esc(title)}</title></line>`;
  const ends = (id: string): [P, P] | null => {
    const s = spanById.get(id);
    const p = s && card.pos.get(s.a.node);
    const q = s && card.pos.get(s.z.node);
    return p && q ? [p, q] : null;
  };
  // The selected circuit's paths, drawn under the spans.
  const halos: string[] = [];
  const rt = input.route;
  if (rt) {
    const halo = (ids: string[], cls: 'working' | 'protect', active: boolean) => {
      for (const id of ids) {
        const e = ends(id) ?? (() => { const h = card.hangs.find((x) => x.id === id); return h ? [h.p, h.q] as [P, P] : null; })();
        if (e) halos.push(line(e[0], e[1], `class="route ${cls}${active ? ' active' : ''}" data-route-span="${esc(id)}" data-path="${cls}"`, `${rt.id}: ${cls === 'working' ? tr(ctx, 'workingPath') : tr(ctx, 'protectPath')}`));
      }
    };
    halo(rt.route.protect, 'protect', rt.active === 'protection');
    halo(rt.route.working, 'working', rt.active === 'working');
    halo(rt.route.access, rt.active === 'working' ? 'working' : 'protect', true);
  }
  const spans = card.spans.map((id) => {
    const e = ends(id);
    const s = st.span(id);
    return e ? line(e[0], e[1], `class="span" data-span="${esc(id)}" data-status="${s}"`, `${id}: ${s === 'ok' ? tr(ctx, 'ok') : tr(ctx, s as never)}`) : '';
  }).join('');
  const hangs = card.hangs.map((h) => {
    if (h.kind === 'spur') {
      const s = st.span(h.id);
      const far = h.farInRing ? `<text class="far" x="${h.q.x}" y="${h.q.y + 4}" text-anchor="middle">${esc(h.far)}</text>` : '';
      return line(h.p, h.q, `class="span spur" data-span="${esc(h.id)}" data-status="${s}"`, `${tr(ctx, 'spur')} ${h.id}: ${tr(ctx, s === 'ok' ? 'ok' : (s as never))}`) + far;
    }
    const a = st.access(h.id);
    const e = st.equip(h.far);
    return line(h.p, h.q, `class="access" data-access="${esc(h.id)}" data-status="${a}"`, `${tr(ctx, 'access')} ${h.id}: ${tr(ctx, a === 'ok' ? 'ok' : 'cut')}`)
      + `<g class="cpe" data-cpe="${esc(h.far)}" data-status="${e}"><rect x="${h.q.x - 4}" y="${h.q.y - 4}" width="8" height="8"/><title>${tr(ctx, 'cpe')} ${esc(h.far)}${e !== 'ok' ? ': ' + tr(ctx, 'cpeFailed') : ''}</title>${a !== 'ok' || e !== 'ok' ? `<text class="cpe-label" x="${h.q.x}" y="${h.q.y + 14}" text-anchor="middle">${esc(h.far)}</text>` : ''}</g>`;
  }).join('');
  const ends2 = rt ? new Set([rt.route.a.node, rt.route.z.node]) : new Set<string>();
  const nodes = [...card.pos].map(([n, p]) => {
    const s = st.node(n);
    const inRing = card.nodes.includes(n);
    const lp = inRing && card.ring ? polar(R - 24, p.a) : { x: p.x, y: p.y + (card.ring ? 20 : -14), a: p.a };
    const site = siteOf.get(n);
    const bat = s === 'on-battery' && site ? input.live.sites.get(site)?.batteryEndsAt : null;
    const cross = s === 'failed' ? `<line class="cross" x1="${p.x - 6}" y1="${p.y - 6}" x2="${p.x + 6}" y2="${p.y + 6}"/><line class="cross" x1="${p.x - 6}" y1="${p.y + 6}" x2="${p.x + 6}" y2="${p.y - 6}"/>` : '';
    const label = s === 'failed' ? 'failedNode' : s === 'on-battery' ? 'battery' : s === 'board-fault' ? 'boardFault' : null;
    return `<g class="node${shared.has(n) ? ' shared' : ''}${ends2.has(n) ? ' endpoint' : ''}${inRing ? '' : ' spur-node'}" data-node="${esc(n)}" data-status="${s}"><circle class="body" cx="${p.x}" cy="${p.y}" r="${inRing ? 9 : 7}"/>${cross}<text x="${lp.x}" y="${lp.y + 3}" text-anchor="middle">${esc(n)}</text>${typeof bat === 'string' ? `<text class="battery-left" x="${lp.x}" y="${lp.y + 15}" text-anchor="middle">${due(bat, 'batteryLeft', 'tspan')}</text>` : ''}<title>${esc(n)}${label ? ': ' + tr(ctx, label) : ''}</title></g>`;
  }).join('');
  const head = card.ring ? `<h3><span>${esc(card.title)}</span><span class="muted">${esc(card.sub)}</span></h3>` : `<h3><span>${tr(ctx, 'linear')}</span></h3>`;
  return `<div class="ring${isFaulty ? ' faulty' : ''}" data-ring="${esc(card.id)}">${head}<svg viewBox="0 0 ${SIZE} ${card.ring ? SIZE : 60 + 110 * Math.ceil(card.pos.size / 6)}" role="img" aria-label="${esc(card.title || card.id)}">${halos.join('')}${spans}${hangs}${nodes}</svg></div>`;
}

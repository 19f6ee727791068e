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

interface P {
  x: number;
  y: number;
  a: number;
}
interface Hang {
  kind: 'spur' | 'access';
  id: string;
  from: string;
  p: P;
  q: P;
  far: string;
  farInRing: boolean;
}
interface Card {
  id: string;
  title: string;
  sub: string;
  ring: boolean;
  spans: string[];
  nodes: string[];
  pos: Map<string, P>;
  hangs: Hang[];
  words: string[];
}

const polar = (r: number, a: number): P => ({
  x: Math.round((C + r * Math.cos(a)) * 10) / 10,
  y: Math.round((C + r * Math.sin(a)) * 10) / 10,
  a,
});

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
function hangFrom(
  ix: ReturnType<typeof index>,
  node: string,
  p: P,
  r: number,
  seen: Set<string>,
  out: Hang[],
  pos: Map<string, P>,
): void {
  const items = [
    ...(ix.spurs.get(node) ?? [])
      .filter((s) => !seen.has(s.id))
      .map((s) => ({ kind: 'spur' as const, id: s.id, far: s.a.node === node ? s.z.node : s.a.node })),
    ...(ix.access.get(node) ?? [])
      .filter((l) => !seen.has(l.id))
      .map((l) => ({ kind: 'access' as const, id: l.id, far: l.cpe })),
  ];
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
    const pos = new Map(
      r.nodes.map((n, i) => [n, polar(R, (2 * Math.PI * i) / r.nodes.length - Math.PI / 2)] as const),
    );
    const hangs: Hang[] = [];
    for (const n of r.nodes) if ((ix.rings.get(n) ?? [])[0] === r.id) hangFrom(ix, n, pos.get(n)!, R, seen, hangs, pos);
    const words = [r.id, r.name ?? '', ...pos.keys(), ...hangs.map((h) => h.id), ...hangs.map((h) => h.far)];
    return {
      id: r.id,
      title: r.id,
      sub: `${r.protection.toUpperCase()}${r.name ? ' · ' + r.name : ''}`,
      ring: true,
      spans: r.spans,
      nodes: r.nodes,
      pos,
      hangs,
      words,
    };
  });
  // Nodes in no ring and on no spur of a ring: one card of linear links, nodes in a row.
  const placed = new Set(cards.flatMap((c) => [...c.pos.keys()]));
  const rest = topo.nodes.filter((n) => !placed.has(n.id));
  if (rest.length) {
    const pos = new Map(
      rest.map(
        (n, i) =>
          [n.id, { x: 30 + ((SIZE - 60) * (i % 6)) / 5, y: 60 + 110 * Math.floor(i / 6), a: Math.PI / 2 }] as const,
      ),
    );
    const spans = topo.spans
      .filter((s) => !s.ring && !seen.has(s.id) && pos.has(s.a.node) && pos.has(s.z.node))
      .map((s) => s.id);
    const hangs: Hang[] = [];
    for (const l of topo.accessLinks ?? []) {
      const p = pos.get(l.node);
      if (p && !seen.has(l.id))
        hangs.push({
          kind: 'access',
          id: l.id,
          from: l.node,
          p,
          q: { x: p.x, y: p.y + 30, a: p.a },
          far: l.cpe,
          farInRing: false,
        });
    }
    cards.push({
      id: '(linear)',
      title: '',
      sub: '',
      ring: false,
      spans,
      nodes: rest.map((n) => n.id),
      pos,
      hangs,
      words: [...pos.keys(), ...spans],
    });
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
  return (
    card.spans.some((s) => span(s) !== 'ok') ||
    [...card.pos.keys()].some((n) => node(n) !== 'ok') ||
    card.hangs.some((h) => (h.kind === 'spur' ? span(h.id) : access(h.id)) !== 'ok' || equip(h.far) !== 'ok')
  );
}

function onRoute(card: Card, route: MapInput['route']): boolean {
  if (!route) return false;
  const ids = new Set([...route.route.working, ...route.route.protect, ...route.route.access]);
  return card.spans.some((s) => ids.has(s)) || card.hangs.some((h) => ids.has(h.id));
}

export function drawMap(ctx: Ctx, input: MapInput): { html: string; shown: number; total: number } {
  const { topo, live } = input;
  const st: Draw['st'] = {
    span: (id) => live.spans.get(id)?.status ?? 'ok',
    node: (id) => live.nodes.get(id)?.status ?? 'ok',
    access: (id) => live.access.get(id)?.status ?? 'ok',
    equip: (id) => live.equipment.get(id)?.status ?? 'ok',
  };
  const q = input.query.trim().toLowerCase();
  const big = topo.rings.length > MAX_RINGS;
  const rows = layout(topo).map((card) => ({
    card,
    bad: faulty(card, st.span, st.node, st.access, st.equip),
    routed: onRoute(card, input.route),
    match: !q || card.words.some((w) => w.toLowerCase().includes(q)),
  }));
  const shown = rows
    .filter((r) =>
      input.onlyFaulty ? (r.bad || r.routed) && r.match : big ? r.routed || (q ? r.match : r.bad) : r.match || r.routed,
    )
    .sort((a, b) => Number(b.routed) - Number(a.routed) || Number(b.bad) - Number(a.bad))
    .slice(0, MAX_RINGS);
  const html = shown.map((r) => drawCard(ctx, r.card, topo, input, st, r.bad)).join('');
  return { html, shown: shown.filter((r) => r.card.ring).length, total: topo.rings.length };
}

interface Draw {
  ctx: Ctx;
  card: Card;
  input: MapInput;
  st: Record<'span' | 'node' | 'access' | 'equip', Status>;
  ix: TopoIndex;
}

interface TopoIndex {
  spanById: Map<string, Topo['spans'][number]>;
  siteOf: Map<string, string | null>;
  shared: Set<string>;
}
const indexes = new WeakMap<Topo, TopoIndex>();
function topoIndex(topo: Topo): TopoIndex {
  let ix = indexes.get(topo);
  if (!ix) {
    ix = {
      spanById: new Map(topo.spans.map((s) => [s.id, s])),
      siteOf: new Map(topo.nodes.map((n) => [n.id, n.site])),
      shared: new Set(topo.nodes.filter((n) => n.rings.length > 1).map((n) => n.id)),
    };
    indexes.set(topo, ix);
  }
  return ix;
}

const line = (p: P, q: P, attrs: string, title: string) =>
  `<line ${attrs} x1="${p.x}" y1="${p.y}" x2="${q.x}" y2="${q.y}"><title>${esc(title)}</title></line>`;

/** Both ends of a span or hanging link on this card, when both are drawn here. */
function ends(d: Draw, id: string): [P, P] | null {
  const s = d.ix.spanById.get(id);
  const p = s && d.card.pos.get(s.a.node);
  const q = s && d.card.pos.get(s.z.node);
  if (p && q) return [p, q];
  const h = d.card.hangs.find((x) => x.id === id);
  return h ? [h.p, h.q] : null;
}

/** The selected circuit's paths, drawn under the spans: the active one solid. */
function routeLines(d: Draw): string {
  const rt = d.input.route;
  if (!rt) return '';
  const out: string[] = [];
  const halo = (ids: string[], cls: 'working' | 'protect', active: boolean) => {
    for (const id of ids) {
      const e = ends(d, id);
      if (e)
        out.push(
          line(
            e[0],
            e[1],
            `class="route ${cls}${active ? ' active' : ''}" data-route-span="${esc(id)}" data-path="${cls}"`,
            `${rt.id}: ${cls === 'working' ? tr(d.ctx, 'workingPath') : tr(d.ctx, 'protectPath')}`,
          ),
        );
    }
  };
  halo(rt.route.protect, 'protect', rt.active === 'protection');
  halo(rt.route.working, 'working', rt.active === 'working');
  halo(rt.route.access, rt.active === 'working' ? 'working' : 'protect', true);
  return out.join('');
}

const statusWord = (ctx: Ctx, s: string) => (s === 'ok' ? tr(ctx, 'ok') : tr(ctx, s as never));

function spanLines(d: Draw): string {
  return d.card.spans
    .map((id) => {
      const e = ends(d, id);
      const s = d.st.span(id);
      return e
        ? line(e[0], e[1], `class="span" data-span="${esc(id)}" data-status="${s}"`, `${id}: ${statusWord(d.ctx, s)}`)
        : '';
    })
    .join('');
}

/** Spurs (with the far node's name when it belongs to another ring), access links and customer ends. */
function hangLines(d: Draw): string {
  const { ctx } = d;
  return d.card.hangs
    .map((h) => {
      if (h.kind === 'spur') {
        const s = d.st.span(h.id);
        const far = h.farInRing
          ? `<text class="far" x="${h.q.x}" y="${h.q.y + 4}" text-anchor="middle">${esc(h.far)}</text>`
          : '';
        return (
          line(
            h.p,
            h.q,
            `class="span spur" data-span="${esc(h.id)}" data-status="${s}"`,
            `${tr(ctx, 'spur')} ${h.id}: ${statusWord(ctx, s)}`,
          ) + far
        );
      }
      const a = d.st.access(h.id);
      const e = d.st.equip(h.far);
      return (
        line(
          h.p,
          h.q,
          `class="access" data-access="${esc(h.id)}" data-status="${a}"`,
          `${tr(ctx, 'access')} ${h.id}: ${tr(ctx, a === 'ok' ? 'ok' : 'cut')}`,
        ) +
        `<g class="cpe" data-cpe="${esc(h.far)}" data-status="${e}"><rect x="${h.q.x - 4}" y="${h.q.y - 4}" width="8" height="8"/><title>${tr(ctx, 'cpe')} ${esc(h.far)}${e !== 'ok' ? ': ' + tr(ctx, 'cpeFailed') : ''}</title>${a !== 'ok' || e !== 'ok' ? `<text class="cpe-label" x="${h.q.x}" y="${h.q.y + 14}" text-anchor="middle">${esc(h.far)}</text>` : ''}</g>`
      );
    })
    .join('');
}

const NODE_WORD = { failed: 'failedNode', 'on-battery': 'battery', 'board-fault': 'boardFault' } as const;

function nodeMarks(d: Draw): string {
  const { ctx, card } = d;
  const rt = d.input.route;
  const endpoints = new Set(rt ? [rt.route.a.node, rt.route.z.node] : []);
  return [...card.pos]
    .map(([n, p]) => {
      const s = d.st.node(n);
      const inRing = card.nodes.includes(n);
      const lp = inRing && card.ring ? polar(R - 24, p.a) : { x: p.x, y: p.y + (card.ring ? 20 : -14), a: p.a };
      const site = d.ix.siteOf.get(n);
      const bat = s === 'on-battery' && site ? d.input.live.sites.get(site)?.batteryEndsAt : null;
      const cross =
        s === 'failed'
          ? `<line class="cross" x1="${p.x - 6}" y1="${p.y - 6}" x2="${p.x + 6}" y2="${p.y + 6}"/><line class="cross" x1="${p.x - 6}" y1="${p.y + 6}" x2="${p.x + 6}" y2="${p.y - 6}"/>`
          : '';
      const word = NODE_WORD[s as keyof typeof NODE_WORD];
      const cls = `node${d.ix.shared.has(n) ? ' shared' : ''}${endpoints.has(n) ? ' endpoint' : ''}${inRing ? '' : ' spur-node'}`;
      return `<g class="${cls}" data-node="${esc(n)}" data-status="${s}"><circle class="body" cx="${p.x}" cy="${p.y}" r="${inRing ? 9 : 7}"/>${cross}<text x="${lp.x}" y="${lp.y + 3}" text-anchor="middle">${esc(n)}</text>${typeof bat === 'string' ? `<text class="battery-left" x="${lp.x}" y="${lp.y + 15}" text-anchor="middle">${due(bat, 'batteryLeft', 'tspan')}</text>` : ''}<title>${esc(n)}${word ? ': ' + tr(ctx, word) : ''}</title></g>`;
    })
    .join('');
}

function drawCard(ctx: Ctx, card: Card, topo: Topo, input: MapInput, st: Draw['st'], isFaulty: boolean): string {
  const d: Draw = { ctx, card, input, st, ix: topoIndex(topo) };
  const head = card.ring
    ? `<h3><span>${esc(card.title)}</span><span class="muted">${esc(card.sub)}</span></h3>`
    : `<h3><span>${tr(ctx, 'linear')}</span></h3>`;
  const height = card.ring ? SIZE : 60 + 110 * Math.ceil(card.pos.size / 6);
  return `<div class="ring${isFaulty ? ' faulty' : ''}" data-ring="${esc(card.id)}">${head}<svg viewBox="0 0 ${SIZE} ${height}" role="img" aria-label="${esc(card.title || card.id)}">${routeLines(d)}${spanLines(d)}${hangLines(d)}${nodeMarks(d)}</svg></div>`;
}

// The NOC page: what to do next (incidents by priority, the selected one in full with the
// actions the token may take), the network drawn live, the circuits needing attention.
// Plain TypeScript modules, no framework, no CDN; live over /api/v1/events.
import { liveStatus } from '../shared/live-status.js';
import { esc, type Ctx } from './html.js';
import { clock, known, relative, text, type Key, type Lang } from './i18n.js';
import { ApiFailure, api, openStream, type Session } from './net.js';
import { byPriority, headline } from './rank.js';
import type { Alarm, Circuit, Duty, Incident, Route, Ticket, Topo, WhoAmI } from './types.js';
import { ATTENTION, circuitRows } from './view-circuits.js';
import { detailBody } from './view-detail.js';
import { dutyPanel } from './view-duty.js';
import { incidentList } from './view-incidents.js';
import { drawMap } from './view-map.js';

const params = new URLSearchParams(location.search);
const state = {
  lang: ((params.get('lang') ?? localStorage.getItem('rg.lang')) === 'en' ? 'en' : 'zh-CN') as Lang,
  token: localStorage.getItem('rg.token') || '',
  wall: params.has('wall'),
  topo: null as Topo | null,
  incidents: new Map<string, Incident>(),
  circuits: new Map<string, Circuit>(),
  tickets: new Map<string, Ticket>(),
  alarms: new Map<string, Alarm>(),
  who: null as WhoAmI | null,
  selected: null as string | null,
  circuit: null as string | null,
  routes: new Map<string, Route | null>(),
  conn: 'connecting' as 'connecting' | 'live' | 'offline' | 'unauthorized',
  result: null as { ok: boolean; text: string } | null,
  alarmsOpen: false,
  duty: null as Duty | null,
};

const $ = <E extends HTMLElement = HTMLElement>(sel: string) => document.querySelector(sel) as E;
const t = (k: Key, vars?: Record<string, string | number>) => text(state.lang, k, vars);
const session = (): Session => ({ token: state.token, lang: state.lang });
const ctx = (): Ctx => ({ lang: state.lang, perms: new Set(state.who?.permissions ?? []) });
const ticketOf = (id: string | null) => (id ? state.tickets.get(id) : undefined);

async function loadAll(): Promise<void> {
  const s = session();
  const [topo, who] = await Promise.all([
    api<Topo>(s, '/api/v1/topology'),
    api<WhoAmI>(s, '/api/v1/whoami').catch(() => null),
  ]);
  const incidents = new Map<string, Incident>();
  let cursor: string | null = null;
  do {
    const page: { items: Incident[]; cursor: string | null } = await api(
      s,
      `/api/v1/incidents?state=open&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    for (const i of page.items) if (!merged(i)) incidents.set(i.id, i);
    cursor = page.cursor;
  } while (cursor);
  const circuits = new Map<string, Circuit>();
  for (const st of ATTENTION)
    for (const c of (await api<{ items: Circuit[] }>(s, `/api/v1/circuits?state=${st}`)).items) circuits.set(c.id, c);
  // The tickets of open incidents, from the list (not the whole history through the feed);
  // changes then come over the event stream.
  const tickets = new Map<string, Ticket>();
  for (const st of ['open', 'acknowledged']) {
    let c: string | null = null;
    do {
      const page: { items: Ticket[]; cursor: string | null } = await api(
        s,
        `/api/v1/tickets?state=${st}&limit=1000${c ? `&cursor=${c}` : ''}`,
      );
      for (const tk of page.items) tickets.set(tk.id, tk);
      c = page.cursor;
    } while (c);
  }
  void loadDuty();
  const keep = state.selected ? state.incidents.get(state.selected) : undefined;
  if (keep && !incidents.has(keep.id)) incidents.set(keep.id, keep);
  Object.assign(state, { topo, who, incidents, circuits, tickets });
  if (state.selected) void loadAlarms(state.selected);
  render();
}

const merged = (i: Incident) => !!(i.mergedInto ?? i.detail?.mergedInto);

/** The selected incident with its alarms, and its ticket as the ticket route gives it (with `contacts`). */
async function loadAlarms(id: string): Promise<void> {
  try {
    const full = await api<Incident>(session(), `/api/v1/incidents/${encodeURIComponent(id)}`);
    state.incidents.set(full.id, { ...full, alarms: undefined });
    for (const a of full.alarms ?? []) state.alarms.set(a.id, a);
    if (full.ticketId) await loadTicket(full.ticketId);
    render();
  } catch {
    /* shown as it is */
  }
}

async function loadTicket(id: string): Promise<void> {
  try {
    const tk = await api<Ticket>(session(), `/api/v1/tickets/${encodeURIComponent(id)}`);
    state.tickets.set(tk.id, tk);
    render();
  } catch {
    /* shown as it is */
  }
}

/** Who is on duty now in each group; again every minute (shifts change). */
async function loadDuty(): Promise<void> {
  try {
    state.duty = await api<Duty>(session(), '/api/v1/duty');
  } catch {
    state.duty = null;
  }
  render();
}

async function loadRoute(id: string): Promise<void> {
  try {
    const c = await api<Circuit & { route?: Route | null }>(session(), `/api/v1/circuits/${encodeURIComponent(id)}`);
    state.routes.set(id, c.route ?? null);
    state.circuits.set(c.id, c);
  } catch {
    state.routes.set(id, null);
  }
  render();
}

// ---- rendering: each region is rewritten only when its HTML changed (keeps focus and input).
const last = new WeakMap<Element, string>();
function put(el: Element | null, html: string): void {
  if (!el || last.get(el) === html) return;
  last.set(el, html);
  el.innerHTML = html;
}

let scheduled = false;
function render(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    const c = ctx();
    renderChrome();
    const sorted = byPriority(state.incidents.values(), ticketOf);
    put($('#incidents'), incidentList(c, sorted, ticketOf, state.selected));
    renderDetail(c);
    put($('#duty'), dutyPanel(c, state.duty));
    put($('#circuits tbody'), circuitRows(c, state.circuits.values(), state.circuit));
    renderMap(c);
    renderTitle(sorted);
    tick();
  });
}

function renderChrome(): void {
  document.documentElement.lang = state.lang;
  document.body.classList.toggle('wall', state.wall);
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as Key);
  for (const el of document.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]'))
    el.placeholder = t(el.dataset.i18nPlaceholder as Key);
  $('#network').textContent = state.topo?.network ?? '';
  const conn = $('#conn');
  conn.dataset.state = state.conn;
  conn.textContent = t(state.conn);
  const who = state.who;
  $('#role').textContent = who
    ? t('roleIs', { role: t(who.role && known(`role-${who.role}`) ? (`role-${who.role}` as Key) : 'role-open') })
    : '';
  $('#who-wrap').hidden = !who || who.permissions.every((p) => p === 'read');
  const res = $('#result');
  res.textContent = state.result?.text ?? '';
  res.className = state.result ? (state.result.ok ? 'ok' : 'err') : '';
  const legend = [
    ['ok', 'var(--ok)'],
    ['cut', 'var(--cut)'],
    ['one-fibre', 'var(--one)'],
    ['degraded', 'var(--degraded)'],
    ['failedNode', 'var(--cut)'],
    ['battery', 'var(--battery)'],
    ['shared', 'var(--info)'],
    ['access', 'var(--muted)'],
    ['cpe', 'var(--muted)'],
  ] as const;
  put(
    $('#legend'),
    legend.map(([k, col]) => `<span><i style="background:${col}"></i>${esc(t(k))}</span>`).join('') +
      `<span><i class="lg-working"></i>${esc(t('workingPath'))}</span><span><i class="lg-protect"></i>${esc(t('protectPath'))}</span>`,
  );
}

function renderDetail(c: Ctx): void {
  const i = state.selected ? state.incidents.get(state.selected) : undefined;
  $('#detail').dataset.selected = i ? i.id : '';
  if (!i) {
    put($('#detail-body'), `<p class="muted">${esc(t('pickIncident'))}</p>`);
    $('#note-form').hidden = true;
    return;
  }
  const tk = ticketOf(i.ticketId);
  const alarms = [...state.alarms.values()].filter((a) => a.incidentId === i.id);
  put(
    $('#detail-body'),
    detailBody(c, {
      incident: i,
      ticket: tk,
      alarms,
      circuit: (id) => state.circuits.get(id),
      alarmsOpen: state.alarmsOpen,
    }),
  );
  $('#note-form').hidden = !(tk && Array.isArray(tk.journal) && c.perms.has('note'));
}

function renderMap(c: Ctx): void {
  const topo = state.topo;
  if (!topo) return;
  const cur = state.circuit;
  const route = cur ? state.routes.get(cur) : undefined;
  const circuit = cur ? state.circuits.get(cur) : undefined;
  const m = drawMap(c, {
    topo,
    live: liveStatus(state.incidents.values()),
    query: $<HTMLInputElement>('#ring-search').value,
    onlyFaulty: $<HTMLInputElement>('#only-faulty').checked,
    route: cur && route ? { id: cur, route, active: circuit?.activePath ?? 'working' } : null,
  });
  put($('#rings'), m.html);
  $('#ring-count').textContent = t('shownRings', { n: m.shown, t: m.total });
  put(
    $('#route-info'),
    cur
      ? `<span>${esc(t('routeOf', { id: cur }))}</span> <button type="button" class="control" id="route-clear">${esc(t('routeClear'))}</button>`
      : `<span class="muted">${esc(t('selectCircuit'))}</span>`,
  );
}

let lastIcon = '';
function renderTitle(sorted: Incident[]): void {
  const { p1, open } = headline(sorted, ticketOf);
  const parts = [p1 ? t('titleP1', { n: p1 }) : '', open ? t('titleCount', { n: open }) : ''].filter(Boolean);
  document.title = parts.length ? `${p1 ? '‼ ' : ''}${parts.join(' · ')} — ringguard` : 'ringguard';
  const key = `${p1}/${open}`;
  if (key === lastIcon) return;
  lastIcon = key;
  const cv = document.createElement('canvas');
  cv.width = cv.height = 32;
  const g = cv.getContext('2d');
  if (!g) return;
  g.fillStyle = p1 ? '#e5484d' : open ? '#f5a524' : '#3fb27f';
  g.beginPath();
  g.arc(16, 16, 15, 0, 2 * Math.PI);
  g.fill();
  g.fillStyle = '#fff';
  g.font = 'bold 18px sans-serif';
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  if (p1 || open) g.fillText(String(Math.min(99, p1 || open)), 16, 17);
  const link = $<HTMLLinkElement>('#favicon');
  link.href = cv.toDataURL('image/png');
  link.dataset.count = key;
}

/** Every second: relative times and countdowns, text only. */
function tick(): void {
  const now = Date.now();
  for (const el of document.querySelectorAll<HTMLElement>('[data-since]'))
    el.textContent = relative(state.lang, Date.parse(el.dataset.since!) - now);
  for (const el of document.querySelectorAll<HTMLElement>('[data-due]')) {
    const left = Date.parse(el.dataset.due!) - now;
    const key = el.dataset.key as Key;
    el.textContent = left <= 0 && key === 'batteryLeft' ? t('batteryOut') : t(key, { t: clock(left) });
  }
}

// ---- actions: each shows the API's answer.
function say(ok: boolean, msg: string): void {
  state.result = { ok, text: msg };
  const el = $('#toast');
  el.textContent = msg;
  el.className = `show ${ok ? 'ok' : 'err'}`;
  setTimeout(() => {
    if (el.textContent === msg) el.className = '';
  }, 6000);
  render();
}

function failure(e: unknown): void {
  const f = e instanceof ApiFailure ? e : new ApiFailure(0, 'ERROR', String(e));
  say(false, t('failedMsg', { status: f.status || f.code, msg: f.message }));
}

function name(): string | null {
  const el = $<HTMLInputElement>('#who');
  const v = el.value.trim();
  if (v) {
    localStorage.setItem('rg.name', v);
    return v;
  }
  say(false, t('needName'));
  el.focus();
  return null;
}

async function ticketAction(act: 'ack' | 'close'): Promise<void> {
  const tk = ticketOf(state.incidents.get(state.selected ?? '')?.ticketId ?? null);
  const by = tk && name();
  if (!tk || !by) return;
  try {
    const r = await api<Ticket>(session(), `/api/v1/tickets/${encodeURIComponent(tk.id)}/${act}`, { by });
    state.tickets.set(r.id, r);
    say(
      true,
      t(act === 'ack' ? 'ackDone' : 'closeDone', {
        id: r.id,
        by: (act === 'ack' ? r.ackBy : r.closedBy) ?? by,
        state: t(`tk-${r.state}` as Key),
      }),
    );
  } catch (e) {
    failure(e);
  }
}

async function addNote(): Promise<void> {
  const tk = ticketOf(state.incidents.get(state.selected ?? '')?.ticketId ?? null);
  const box = $<HTMLTextAreaElement>('#note-text');
  const by = tk && name();
  if (!tk || !by) return;
  if (!box.value.trim()) {
    say(false, t('needText'));
    box.focus();
    return;
  }
  try {
    const r = await api<Partial<Ticket>>(session(), `/api/v1/tickets/${encodeURIComponent(tk.id)}/notes`, {
      by,
      text: box.value.trim(),
    });
    const fresh =
      Array.isArray(r.journal) && r.id
        ? (r as Ticket)
        : await api<Ticket>(session(), `/api/v1/tickets/${encodeURIComponent(tk.id)}`);
    state.tickets.set(fresh.id, fresh);
    box.value = '';
    say(true, t('noteDone', { id: tk.id }));
  } catch (e) {
    failure(e);
  }
}

async function ackAlarm(id: string): Promise<void> {
  const by = name();
  if (!by) return;
  try {
    const a = await api<Alarm>(session(), `/api/v1/alarms/${encodeURIComponent(id)}/ack`, { by });
    state.alarms.set(a.id, a);
    say(true, t('alarmAckDone', { id: a.id, by: a.ackBy ?? by }));
  } catch (e) {
    failure(e);
  }
}

async function switchover(id: string, to: 'working' | 'protection'): Promise<void> {
  const by = name();
  if (!by) return;
  const before = state.circuits.get(id);
  try {
    const c = await api<Circuit>(session(), `/api/v1/circuits/${encodeURIComponent(id)}/switchover`, {
      confirmedBy: by,
      to,
    });
    state.circuits.set(c.id, c);
    const st = (s: string) => (known(`st-${s}`) ? t(`st-${s}` as Key) : s);
    const changed = !before || before.state !== c.state || before.activePath !== c.activePath;
    say(
      true,
      changed
        ? t('switchDone', { id, from: before ? st(before.state) : '?', to: st(c.state), path: t(c.activePath) })
        : t('switchSame', { id, state: st(c.state), path: t(c.activePath) }),
    );
  } catch (e) {
    failure(e);
  }
}

function select(id: string): void {
  state.selected = state.selected === id ? null : id;
  state.result = null;
  if (state.selected) {
    void loadAlarms(state.selected);
    if (matchMedia('(max-width: 480px)').matches)
      requestAnimationFrame(() => $('#detail').scrollIntoView({ block: 'start' }));
  }
  render();
}

function selectCircuit(id: string | null): void {
  state.circuit = id && state.circuit !== id ? id : null;
  if (state.circuit && !state.routes.has(state.circuit)) void loadRoute(state.circuit);
  render();
}

function onClick(ev: MouseEvent): void {
  const el = (ev.target as HTMLElement).closest<HTMLElement>(
    '[data-pick],[data-route],[data-switch],[data-ticket-act],[data-ack-alarm],#note-send,#route-clear',
  );
  if (!el) return;
  const d = el.dataset;
  if (d.pick) select(d.pick);
  else if (d.route) selectCircuit(d.route);
  else if (d.switch) void switchover(d.switch, d.to === 'working' ? 'working' : 'protection');
  else if (d.ticketAct) void ticketAction(d.ticketAct === 'close' ? 'close' : 'ack');
  else if (d.ackAlarm) void ackAlarm(d.ackAlarm);
  else if (el.id === 'note-send') void addNote();
  else if (el.id === 'route-clear') selectCircuit(null);
}

// ---- live updates
function onEvent(type: string, data: unknown): void {
  if (type === 'incident') {
    const i = data as Incident;
    if (merged(i)) state.incidents.delete(i.id);
    else state.incidents.set(i.id, { ...state.incidents.get(i.id), ...i });
    if (i.state !== 'open' && i.id !== state.selected) state.incidents.delete(i.id);
  } else if (type === 'alarm') {
    const a = data as Alarm;
    if (a.incidentId && a.incidentId === state.selected) state.alarms.set(a.id, a);
  } else if (type === 'circuit') {
    const c = data as Circuit;
    state.circuits.set(c.id, c);
  } else if (type === 'ticket') {
    const tk = data as Ticket;
    state.tickets.set(tk.id, tk);
    // The event carries `contacts`; a service that sends none: the ticket is read again through its route.
    if (!('contacts' in tk) && tk.incidentId === state.selected) void loadTicket(tk.id);
  }
  render();
}

let current: AbortController | null = null;
const reconnect = () => current?.abort();

async function stream(): Promise<void> {
  for (;;) {
    state.conn = 'connecting';
    render();
    const ctrl = (current = new AbortController());
    try {
      const feed = await openStream(session(), ctrl.signal);
      await loadAll();
      state.conn = 'live';
      render();
      await feed(onEvent);
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 401) state.conn = 'unauthorized';
    }
    if (ctrl.signal.aborted) continue;
    if (state.conn !== 'unauthorized') state.conn = 'offline';
    render();
    await new Promise((res) => setTimeout(res, 2000));
  }
}

function init(): void {
  const token = $<HTMLInputElement>('#token');
  token.value = state.token;
  token.addEventListener('change', () => {
    if (token.value.trim() === state.token) return;
    state.token = token.value.trim();
    localStorage.setItem('rg.token', state.token);
    reconnect();
  });
  $<HTMLInputElement>('#who').value = localStorage.getItem('rg.name') ?? localStorage.getItem('rg.engineer') ?? '';
  $('#lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh-CN' ? 'en' : 'zh-CN';
    localStorage.setItem('rg.lang', state.lang);
    render();
    reconnect();
  });
  $('#wall-toggle').addEventListener('click', () => setWall(!state.wall));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && state.wall) setWall(false);
  });
  document.addEventListener('click', onClick);
  // 'toggle' does not bubble: caught on the way down.
  document.addEventListener(
    'toggle',
    (e) => {
      const d = e.target as HTMLElement;
      if (d instanceof HTMLDetailsElement && d.classList.contains('alarms')) state.alarmsOpen = d.open;
    },
    true,
  );
  $('#ring-search').addEventListener('input', render);
  $('#only-faulty').addEventListener('change', render);
  setInterval(tick, 1000);
  setInterval(() => {
    if (state.conn === 'live') void loadDuty();
  }, 60_000);
  void stream();
}

function setWall(on: boolean): void {
  state.wall = on;
  const u = new URL(location.href);
  if (on) u.searchParams.set('wall', '1');
  else u.searchParams.delete('wall');
  history.replaceState(null, '', u);
  render();
}

init();

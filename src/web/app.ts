// The NOC page: rings drawn live from /api/v1/topology + the open incidents, the incident list,
// the circuits needing attention, switchover confirmation. Plain TypeScript, no framework, no CDN.
// Live over /api/v1/events (read with fetch so the bearer token can be sent).

import { liveStatus } from '../shared/live-status.js';

type Lang = 'zh-CN' | 'en';
interface Alarm { id: string; node: string; object: string; type: string; vendorName: string; state: string; suppressed: boolean; incidentId: string | null; raisedAt: string }
interface Incident { id: string; kind: string; state: string; openedAt: string; spans: string[]; nodes: string[]; sites: string[]; accessLinks: string[]; equipment: string[]; alarmCount: number; affectedCircuits: string[]; ticketId: string | null; detail: Record<string, unknown>; alarms?: Alarm[] }
interface Circuit { id: string; customer: string; priority: string; protection: string; state: string; activePath: string; protectionAvailable: boolean; confirmedBy: string | null; atRiskUntil: string | null; workingRestored?: boolean; switchTo?: string | null }
interface Ticket { id: string; incidentId: string; priority: string; state: string; title: string }
interface Topo {
  network: string;
  rings: Array<{ id: string; name: string | null; protection: string; spans: string[]; nodes: string[] }>;
  nodes: Array<{ id: string; site: string | null; rings: string[] }>;
  spans: Array<{ id: string; a: { node: string; port: string }; z: { node: string; port: string }; ring: string | null }>;
  sites: Array<{ id: string; name: string | null }>;
}

const T: Record<Lang, Record<string, string>> = {
  'zh-CN': {
    token: '令牌', rings: '传输环网', ringSearch: '搜索环/节点…', onlyFaulty: '只看故障环', incidents: '当前故障', circuits: '需关注的专线',
    circuit: '电路', customer: '客户', state: '状态', path: '通道', live: '实时', connecting: '连接中…', offline: '已断开，重连中',
    confirm: '确认倒换', revert: '倒回工作通道', confirmBy: '确认人姓名：', confirmed: '已确认倒换', failed: '操作失败', suppressed: '条伴随告警', roots: '根因告警',
    ago: '前', working: '工作', protection: '保护', until: '电池至', alarms: '条告警', affected: '条专线受影响', noSafetyNet: '另一通道也有故障：无保护', noIncidents: '无故障', noCircuits: '全部正常', lang: 'English', shownRings: '显示 {n}/{t} 个环',
    ok: '正常', cut: '中断', 'one-fibre': '单纤', degraded: '劣化', down: '中断', failed_node: '网元失效', battery: '蓄电池供电', shared: '环间节点',
    'span-cut': '光缆中断', 'node-failure': '网元故障', 'site-power-failure': '基站停电', 'access-fiber-cut': '接入光缆中断', 'cpe-failure': '用户端设备故障',
    'e1-tributary-fault': '2M 支路故障', 'customer-equipment-fault': '客户侧设备故障', 'equipment-fault': '板卡故障', unclassified: '未归类',
    'st-ok': '正常', 'st-switch-required': '待倒换', 'st-on-protection': '保护通道运行', 'st-switch-failed': '倒换失败', 'st-down': '中断', 'st-wtr': '等待恢复', 'st-at-risk': '停电风险',
  },
  en: {
    token: 'Token', rings: 'Rings', ringSearch: 'search ring/node…', onlyFaulty: 'faulty rings only', incidents: 'Open incidents', circuits: 'Circuits needing attention',
    circuit: 'Circuit', customer: 'Customer', state: 'State', path: 'Path', live: 'live', connecting: 'connecting…', offline: 'offline, retrying',
    confirm: 'Confirm switchover', revert: 'Revert to working', confirmBy: 'Confirmed by:', confirmed: 'Switchover confirmed', failed: 'Failed', suppressed: 'suppressed alarms', roots: 'root alarms',
    ago: 'ago', working: 'working', protection: 'protection', until: 'battery until', alarms: 'alarms', affected: 'circuits affected', noSafetyNet: 'the other path has a fault: no protection left', noIncidents: 'No open incidents', noCircuits: 'All circuits ok', lang: '中文', shownRings: 'showing {n}/{t} rings',
    ok: 'ok', cut: 'cut', 'one-fibre': 'one fibre', degraded: 'degraded', down: 'down', failed_node: 'NE failed', battery: 'on battery', shared: 'interconnect node',
    'span-cut': 'Span cut', 'node-failure': 'Node failure', 'site-power-failure': 'Site power failure', 'access-fiber-cut': 'Access fibre cut', 'cpe-failure': 'CPE failure',
    'e1-tributary-fault': '2M tributary fault', 'customer-equipment-fault': 'Customer equipment fault', 'equipment-fault': 'Board failure', unclassified: 'Unclassified',
    'st-ok': 'ok', 'st-switch-required': 'switch required', 'st-on-protection': 'on protection', 'st-switch-failed': 'switch failed', 'st-down': 'down', 'st-wtr': 'wait-to-restore', 'st-at-risk': 'at risk',
  },
};
const ATTENTION = ['switch-failed', 'down', 'switch-required', 'at-risk', 'wtr', 'on-protection'];
const MAX_RINGS = 12;

const state = {
  lang: (localStorage.getItem('rg.lang') as Lang) || 'zh-CN',
  token: localStorage.getItem('rg.token') || '',
  topo: null as Topo | null,
  incidents: new Map<string, Incident>(),
  alarms: new Map<string, Alarm>(),
  circuits: new Map<string, Circuit>(),
  tickets: new Map<string, Ticket>(),
  conn: 'connecting',
};

const $ = <E extends HTMLElement>(sel: string) => document.querySelector(sel) as E;
const t = (k: string) => T[state.lang][k] ?? k;
const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function api<R>(path: string, init: RequestInit = {}): Promise<R> {
  const headers: Record<string, string> = { 'accept-language': state.lang, ...(init.body ? { 'content-type': 'application/json' } : {}) };
  if (state.token) headers.authorization = `Bearer ${state.token}`;
  const r = await fetch(path, { ...init, headers });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body?.error?.message ?? `${r.status}`);
  return body as R;
}

/**
 * Loads the whole picture into fresh maps and swaps them in at once. Called only by the stream
 * loop, after the event stream is open and before its events are read, so nothing is missed
 * and nothing is overwritten by an older snapshot.
 */
async function loadAll(): Promise<void> {
  const topo = await api<Topo>('/api/v1/topology');
  const incidents = new Map<string, Incident>();
  let cursor: string | null = null;
  do {
    const page: { items: Incident[]; cursor: string | null } = await api(`/api/v1/incidents?state=open&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    for (const i of page.items) if (!i.detail.mergedInto) incidents.set(i.id, i);
    cursor = page.cursor;
  } while (cursor);
  const circuits = new Map<string, Circuit>();
  for (const s of ATTENTION) for (const c of (await api<{ items: Circuit[] }>(`/api/v1/circuits?state=${s}`)).items) circuits.set(c.id, c);
  const tickets = new Map<string, Ticket>();
  let since = 0;
  for (let i = 0; i < 50; i++) {
    const f = await api<{ items: Ticket[]; cursor: number }>(`/api/v1/tickets?since=${since}&limit=1000`);
    for (const tk of f.items) tickets.set(tk.id, tk);
    if (!f.items.length) break;
    since = f.cursor;
  }
  state.topo = topo;
  state.incidents = incidents;
  state.circuits = circuits;
  state.tickets = tickets;
  state.alarms = new Map();
  render();
}

let scheduled = false;
function render(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    renderStatic();
    renderRings();
    renderIncidents();
    renderCircuits();
  });
}

function renderStatic(): void {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n!);
  for (const el of document.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder!);
  $('#lang').textContent = t('lang');
  $('#network').textContent = state.topo?.network ?? '';
  const conn = $('#conn');
  conn.dataset.state = state.conn;
  conn.textContent = t(state.conn);
  $('#legend').innerHTML = [['ok', 'var(--ok)'], ['cut', 'var(--cut)'], ['one-fibre', 'var(--one)'], ['degraded', 'var(--degraded)'], ['failed_node', 'var(--cut)'], ['battery', 'var(--battery)'], ['shared', 'var(--info)']]
    .map(([k, c]) => `<span><i style="background:${c}"></i>${esc(t(k))}</span>`).join('');
}

function renderRings(): void {
  const topo = state.topo;
  if (!topo) return;
  const live = liveStatus(state.incidents.values());
  const span = new Map([...live.spans].map(([k, v]) => [k, v.status as string]));
  const node = new Map([...live.nodes].map(([k, v]) => [k, v.status as string]));
  const spanById = new Map(topo.spans.map((s) => [s.id, s]));
  const sharedNodes = new Set(topo.nodes.filter((n) => n.rings.length > 1).map((n) => n.id));
  const q = ($('#ring-search') as HTMLInputElement).value.trim().toLowerCase();
  const onlyFaulty = ($('#only-faulty') as HTMLInputElement).checked;
  const faulty = (r: Topo['rings'][number]) => r.spans.some((s) => span.has(s)) || r.nodes.some((n) => node.has(n));
  let rings = topo.rings.filter((r) => !q || r.id.toLowerCase().includes(q) || (r.name ?? '').toLowerCase().includes(q) || r.nodes.some((n) => n.toLowerCase().includes(q)));
  if (onlyFaulty || topo.rings.length > MAX_RINGS) rings = rings.filter((r) => faulty(r) || (q && !onlyFaulty));
  rings.sort((a, b) => Number(faulty(b)) - Number(faulty(a)));
  const shown = rings.slice(0, MAX_RINGS);
  $('#ring-count').textContent = t('shownRings').replace('{n}', String(shown.length)).replace('{t}', String(topo.rings.length));
  $('#rings').innerHTML = shown.map((r) => {
    const size = 270;
    const c = size / 2;
    const rad = size / 2 - 48;
    const pos = new Map(r.nodes.map((n, i) => {
      const a = (2 * Math.PI * i) / r.nodes.length - Math.PI / 2;
      return [n, { x: c + rad * Math.cos(a), y: c + rad * Math.sin(a), a }];
    }));
    const lines = r.spans.map((sid) => {
      const s = spanById.get(sid)!;
      const p = pos.get(s.a.node)!;
      const q2 = pos.get(s.z.node)!;
      const st = span.get(sid) ?? 'ok';
      return `<line class="span" data-span="${esc(sid)}" data-status="${st}" x1="${p.x}" y1="${p.y}" x2="${q2.x}" y2="${q2.y}"><title>${esc(sid)}: ${esc(t(st))}</title></line>`;
    }).join('');
    const nodes = r.nodes.map((n) => {
      const p = pos.get(n)!;
      const st = node.get(n) ?? 'ok';
      const lx = c + (rad + 22) * Math.cos(p.a);
      const ly = c + (rad + 22) * Math.sin(p.a) + 3;
      const cross = st === 'failed' ? `<line class="cross" x1="${p.x - 6}" y1="${p.y - 6}" x2="${p.x + 6}" y2="${p.y + 6}"/><line class="cross" x1="${p.x - 6}" y1="${p.y + 6}" x2="${p.x + 6}" y2="${p.y - 6}"/>` : '';
      return `<g class="node${sharedNodes.has(n) ? ' shared' : ''}" data-node="${esc(n)}" data-status="${st}"><circle class="body" cx="${p.x}" cy="${p.y}" r="9"/>${cross}<text x="${lx}" y="${ly}" text-anchor="middle">${esc(n)}</text><title>${esc(n)}${st !== 'ok' ? ': ' + esc(t(st === 'failed' ? 'failed_node' : st === 'on-battery' ? 'battery' : st)) : ''}</title></g>`;
    }).join('');
    return `<div class="ring${faulty(r) ? ' faulty' : ''}" data-ring="${esc(r.id)}"><h3><span>${esc(r.id)}</span><span class="muted">${esc(r.protection.toUpperCase())}${r.name ? ' · ' + esc(r.name) : ''}</span></h3>
      <svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="${esc(r.id)}">${lines}${nodes}</svg></div>`;
  }).join('');
}

function age(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  const v = s < 60 ? `${s}s` : s < 3600 ? `${Math.round(s / 60)}m` : `${Math.round(s / 360) / 10}h`;
  return state.lang === 'zh-CN' ? `${v}${t('ago')}` : `${v} ${t('ago')}`;
}

function where(i: Incident): string {
  return [...i.spans, ...i.nodes, ...i.sites, ...i.accessLinks, ...i.equipment].slice(0, 4).join(', ');
}

const openDetails = new Set<string>();
function renderIncidents(): void {
  const list = [...state.incidents.values()].filter((i) => i.state === 'open').sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  const el = $('#incidents');
  if (!list.length) { el.innerHTML = `<li class="muted">${esc(t('noIncidents'))}</li>`; return; }
  el.innerHTML = list.map((i) => {
    const tk = i.ticketId ? state.tickets.get(i.ticketId) : undefined;
    const alarms = [...state.alarms.values()].filter((a) => a.incidentId === i.id);
    const sup = alarms.filter((a) => a.suppressed);
    return `<li data-incident="${esc(i.id)}" data-kind="${esc(i.kind)}" data-priority="${esc(tk?.priority ?? '')}">
      <div class="inc-head"><span class="prio">${esc(tk?.priority ?? '…')}</span><span class="kind">${esc(t(i.kind))}</span>
      <span>${esc(where(i))}</span><span class="muted">${esc(age(i.openedAt))} · ${esc(i.id)} · ${i.alarmCount} ${esc(t('alarms'))} · ${i.affectedCircuits.length} ${esc(t('affected'))}</span></div>
      ${tk ? `<div class="muted">${esc(tk.title)}</div>` : ''}
      <details data-for="${esc(i.id)}" ${openDetails.has(i.id) ? 'open' : ''}><summary>${alarms.length ? `${sup.length} ${esc(t('suppressed'))}, ${alarms.length - sup.length} ${esc(t('roots'))}` : `${i.alarmCount} alarms`}</summary>
      <ul>${alarms.map((a) => `<li class="${a.suppressed ? 'sup' : 'root'}">${esc(a.node)} ${esc(a.object)} ${esc(a.type)}${a.suppressed ? ' (suppressed)' : ''}${a.state === 'cleared' ? ' ✓' : ''}</li>`).join('')}</ul></details></li>`;
  }).join('');
  for (const d of el.querySelectorAll<HTMLDetailsElement>('details')) {
    d.addEventListener('toggle', () => {
      const id = d.dataset.for!;
      // A re-rendered <details open> fires 'toggle' too: only a real change counts.
      if (d.open === openDetails.has(id)) return;
      if (d.open) {
        openDetails.add(id);
        void api<Incident>(`/api/v1/incidents/${encodeURIComponent(id)}`).then((full) => { for (const a of full.alarms ?? []) state.alarms.set(a.id, a); render(); });
      } else openDetails.delete(id);
    });
  }
}

function renderCircuits(): void {
  const rank = (s: string) => ATTENTION.indexOf(s);
  const prio = (p: string) => ({ vip: 0, high: 1, normal: 2 } as Record<string, number>)[p] ?? 3;
  const list = [...state.circuits.values()].filter((c) => ATTENTION.includes(c.state))
    .sort((a, b) => rank(a.state) - rank(b.state) || prio(a.priority) - prio(b.priority) || a.id.localeCompare(b.id)).slice(0, 300);
  const body = $('#circuits').querySelector('tbody')!;
  if (!list.length) { body.innerHTML = `<tr><td colspan="5" class="muted">${esc(t('noCircuits'))}</td></tr>`; return; }
  body.innerHTML = list.map((c) => `<tr data-circuit="${esc(c.id)}" data-state="${esc(c.state)}">
    <td>${esc(c.id)}${c.priority === 'vip' ? ' ★' : ''}</td><td>${esc(c.customer)}</td><td class="state">${esc(t('st-' + c.state))}${c.confirmedBy ? ` (${esc(c.confirmedBy)})` : ''}</td>
    <td>${esc(t(c.activePath))}${c.protectionAvailable ? '' : ` <span title="${esc(t('noSafetyNet'))}">⚠</span>`}${c.atRiskUntil ? ` · ${esc(t('until'))} ${esc(new Date(c.atRiskUntil).toLocaleTimeString(state.lang))}` : ''}</td>
    <td>${switchButton(c)}</td></tr>`).join('');
  for (const b of body.querySelectorAll<HTMLButtonElement>('button.confirm')) {
    b.addEventListener('click', () => void confirmSwitchover(b.dataset.circuit!, b.dataset.to as 'working' | 'protection'));
  }
}

/** Confirm a required switch (towards the path named), or revert a circuit whose working path is back. */
function switchButton(c: Circuit): string {
  const button = (to: string, label: string) => `<button type="button" class="confirm" data-circuit="${esc(c.id)}" data-to="${esc(to)}">${esc(label)}</button>`;
  if ((c.state === 'switch-required' || c.state === 'switch-failed') && c.switchTo) return button(c.switchTo, `${t('confirm')} → ${t(c.switchTo)}`);
  if (c.activePath === 'protection' && c.workingRestored && (c.state === 'on-protection' || c.state === 'at-risk')) return button('working', t('revert'));
  return '';
}

async function confirmSwitchover(id: string, to: 'working' | 'protection'): Promise<void> {
  const by = localStorage.getItem('rg.engineer') || prompt(t('confirmBy')) || '';
  if (!by.trim()) return;
  localStorage.setItem('rg.engineer', by.trim());
  try {
    const c = await api<Circuit>(`/api/v1/circuits/${encodeURIComponent(id)}/switchover`, { method: 'POST', body: JSON.stringify({ confirmedBy: by.trim(), to }) });
    state.circuits.set(c.id, c);
    toast(`${t('confirmed')}: ${id}`);
    render();
  } catch (e) {
    toast(`${t('failed')}: ${(e as Error).message}`);
  }
}

function toast(msg: string): void {
  const el = $('#toast');
  el.textContent = msg;
  el.classList.add('show');
  setTimeout(() => el.classList.remove('show'), 3000);
}

function onEvent(type: string, data: unknown): void {
  if (type === 'incident') {
    const i = data as Incident;
    if (i.state === 'open' && !i.detail.mergedInto) state.incidents.set(i.id, { ...state.incidents.get(i.id), ...i });
    else state.incidents.delete(i.id);
  } else if (type === 'alarm') {
    const a = data as Alarm;
    if (a.incidentId) {
      state.alarms.set(a.id, a);
      if (state.alarms.size > 20_000) state.alarms.delete(state.alarms.keys().next().value!);
    }
  } else if (type === 'circuit') {
    const c = data as Circuit;
    state.circuits.set(c.id, c);
  } else if (type === 'ticket') {
    const tk = data as Ticket;
    state.tickets.set(tk.id, tk);
  }
  render();
}

let current: AbortController | null = null;
/** Drops the stream; the loop reconnects and reloads (new token, new language). */
function reconnect(): void {
  current?.abort();
}

/** SSE over fetch (EventSource cannot send the bearer token); reconnects with a reload of state. */
async function stream(): Promise<void> {
  for (;;) {
    state.conn = 'connecting';
    render();
    const ctrl = (current = new AbortController());
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', 'accept-language': state.lang };
      if (state.token) headers.authorization = `Bearer ${state.token}`;
      const r = await fetch('/api/v1/events', { headers, signal: ctrl.signal });
      if (!r.ok || !r.body) throw new Error(String(r.status));
      await loadAll();
      state.conn = 'live';
      render();
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let k: number;
        while ((k = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, k);
          buf = buf.slice(k + 2);
          let ev = 'message';
          let data = '';
          for (const line of chunk.split('\n')) {
            if (line.startsWith('event: ')) ev = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data && ev !== 'hello') onEvent(ev, JSON.parse(data));
        }
      }
    } catch {
      /* reconnect below */
    }
    if (ctrl.signal.aborted) continue;
    state.conn = 'offline';
    render();
    await new Promise((res) => setTimeout(res, 2000));
  }
}

function init(): void {
  const token = $('#token') as HTMLInputElement;
  token.value = state.token;
  token.addEventListener('change', () => {
    if (token.value.trim() === state.token) return;
    state.token = token.value.trim();
    localStorage.setItem('rg.token', state.token);
    reconnect();
  });
  $('#lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh-CN' ? 'en' : 'zh-CN';
    localStorage.setItem('rg.lang', state.lang);
    render();
    reconnect();
  });
  $('#ring-search').addEventListener('input', render);
  $('#only-faulty').addEventListener('change', render);
  setInterval(render, 30_000);
  void stream();
}

init();

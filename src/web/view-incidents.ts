// The incident list: priority first, P1 in red, planned works marked and last.
import { esc, since, tr, word, type Ctx } from './html.js';
import { impactWords } from '../shared/impact-words.js';
import { isPlanned } from './rank.js';
import type { Incident, Ticket } from './types.js';

export function where(i: Incident): string {
  return [...i.spans, ...i.nodes, ...i.sites, ...i.accessLinks, ...i.equipment].slice(0, 4).join(', ');
}

export function incidentItem(ctx: Ctx, i: Incident, tk: Ticket | undefined, selected: boolean): string {
  const planned = isPlanned(i, tk);
  const prio = tk?.priority ?? '';
  // The same words as the ticket title: "3 条中断、11 条已倒换、6 条失去保护".
  const affected = i.impacts
    ? esc(impactWords(i.impacts, ctx.lang))
    : tr(ctx, 'affectedN', { n: i.affectedCircuits.length });
  return `<li data-incident="${esc(i.id)}" data-kind="${esc(i.kind)}" data-priority="${esc(prio)}"${planned ? ' data-planned="true"' : ''}${selected ? ' class="selected" aria-current="true"' : ''}>
    <button type="button" class="pick" data-pick="${esc(i.id)}">
      <span class="inc-head"><span class="prio">${esc(prio || '…')}</span><span class="kind">${word(ctx, i.kind)}</span>
      <span class="where">${esc(where(i))}</span>${planned ? `<span class="planned-tag" title="${tr(ctx, 'plannedWhy', { id: i.maintenance ?? '' })}">${tr(ctx, 'planned')}</span>` : ''}</span>
      ${tk ? `<span class="tk-title">${esc(tk.title)}</span>` : ''}
      <span class="muted">${since(i.openedAt)} · ${esc(i.id)} · ${tk ? esc(tk.id) : tr(ctx, 'noTicket')} · ${tr(ctx, 'alarmsN', { n: i.alarmCount })} · ${affected}</span>
    </button></li>`;
}

export function incidentList(
  ctx: Ctx,
  sorted: Incident[],
  ticket: (id: string | null) => Ticket | undefined,
  selected: string | null,
): string {
  if (!sorted.length) return `<li class="muted empty">${tr(ctx, 'noIncidents')}</li>`;
  return sorted.map((i) => incidentItem(ctx, i, ticket(i.ticketId), i.id === selected)).join('');
}

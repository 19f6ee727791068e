// The circuits needing attention, worst first, with their timers and switchover buttons.
import { due, esc, tr, word, type Ctx } from './html.js';
import { switchButtons } from './view-detail.js';
import type { Circuit } from './types.js';

export const ATTENTION = ['switch-failed', 'down', 'switch-required', 'at-risk', 'wtr', 'on-protection'];
const PRIO: Record<string, number> = { vip: 0, high: 1, normal: 2 };

export function timers(ctx: Ctx, c: Circuit): string {
  const out: string[] = [];
  if (c.state === 'wtr' && c.timerDue) out.push(due(c.timerDue, 'wtrLeft'));
  if (c.state === 'switch-required' && c.timerDue) out.push(due(c.timerDue, 'switchTimer'));
  if (c.atRiskUntil) out.push(due(c.atRiskUntil, 'batteryLeft'));
  if (!c.protectionAvailable)
    out.push(`<span class="warn" title="${tr(ctx, 'noSafetyNet')}">⚠ ${tr(ctx, 'noSafetyNet')}</span>`);
  return out.join(' ');
}

export function circuitRows(ctx: Ctx, circuits: Iterable<Circuit>, selected: string | null): string {
  const rank = (s: string) => ATTENTION.indexOf(s);
  const list = [...circuits]
    .filter((c) => ATTENTION.includes(c.state))
    .sort(
      (a, b) =>
        rank(a.state) - rank(b.state) ||
        (PRIO[a.priority] ?? 3) - (PRIO[b.priority] ?? 3) ||
        a.id.localeCompare(b.id, 'en', { numeric: true }),
    )
    .slice(0, 300);
  if (!list.length) return `<tr><td colspan="5" class="muted">${tr(ctx, 'noCircuits')}</td></tr>`;
  return list
    .map(
      (
        c,
      ) => `<tr data-circuit="${esc(c.id)}" data-state="${esc(c.state)}"${c.id === selected ? ' class="selected"' : ''}>
    <td><button type="button" class="linkish" data-route="${esc(c.id)}">${esc(c.id)}</button>${c.priority === 'vip' ? ' ★' : ''}</td><td class="cust">${esc(c.customer)}</td>
    <td class="state">${word(ctx, `st-${c.state}`, c.state)}${c.confirmedBy ? ` <span class="muted">${tr(ctx, 'confirmedBy', { by: c.confirmedBy })}</span>` : ''}</td>
    <td>${tr(ctx, c.activePath)} ${timers(ctx, c)}</td>
    <td class="acts">${switchButtons(ctx, c)}</td></tr>`,
    )
    .join('');
}

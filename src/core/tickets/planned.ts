// Planned tickets (contract 2 §8): a ticket opened inside planned works pages nobody and is not
// escalated; when its window ends with the fault still open (or a fault outside the works joins
// it) it becomes a normal ticket at once, and says so in its title and journal. Pure.
import type { Unplanned } from '../maintenance/engine.js';
import type { Escalation, TicketPriority, TicketView } from '../model.js';
import { record, SYSTEM } from './journal.js';

type Titles = { 'zh-CN': string; en: string };
type Plan = Pick<TicketView, 'planned' | 'maintenance' | 'overran'>;

export const plannedEscalation = (window: string): Escalation => ({
  level: 1,
  group: 'duty',
  reason: `planned works ${window}: pages nobody, not escalated`,
});

/** Titles marked while planned (【割接 MW-1】) and once the works overran (【割接超时未恢复 MW-1】). */
export function planTitles(titles: Titles, t: Plan): Titles {
  if (!t.maintenance || (!t.planned && !t.overran)) return titles;
  const [zh, en] = t.planned ? ['割接', 'planned works'] : ['割接超时未恢复', 'planned work overran'];
  return { 'zh-CN': `【${zh} ${t.maintenance}】${titles['zh-CN']}`, en: `[${en} ${t.maintenance}] ${titles.en}` };
}

export function markPlanned(t: Plan & Pick<TicketView, 'journal'>, window: string, now: number): void {
  t.planned = true;
  t.maintenance = window;
  record(t, now, SYSTEM, 'planned', `inside planned works ${window}: pages nobody, not escalated`);
}

/** A planned ticket becomes a normal one: escalation starts as for a new ticket. */
export function unplan(
  t: Plan & Pick<TicketView, 'journal' | 'escalation' | 'state'> & { escalateAt: number | null },
  u: Unplanned,
  priority: TicketPriority,
  now: number,
  escalateAfterMs: number,
): void {
  t.planned = false;
  t.overran = u.reason === 'overran';
  const why = t.overran
    ? `割接超时未恢复 / planned work overran: ${u.window} ended with the fault still open`
    : `a fault outside planned works ${u.window} joined the incident`;
  t.escalation =
    priority === 'P1'
      ? {
          level: 2,
          group: 'implementation',
          reason: `P1: a VIP circuit is down or failed to switch (${t.overran ? 'planned work overran' : 'not planned'})`,
        }
      : {
          level: 1,
          group: 'duty',
          reason: t.overran ? `planned work ${u.window} overran` : `not planned works any more`,
        };
  t.escalateAt = t.state === 'open' ? now + escalateAfterMs : null;
  record(t, now, SYSTEM, 'overran', why);
}

// Whom to tell about one ticket change, from what was told before (the ticket's memory) and
// the routes as they match the ticket now. Pure.
import type { TicketState } from '../model.js';
import type { NotifyEvent, Route } from './config.js';
import { route, type Routable } from './routing.js';

export type TicketEvent = Exclude<NotifyEvent, 'digest'>;

/** What the notifier remembers of a ticket between changes (persisted with the outbox). */
export interface TicketMemory {
  ticketId: string;
  level: number;
  state: TicketState;
  /** Receivers told anything about this ticket: they get its recovery message. */
  told: string[];
  /** Next reminder (ms) for an unacknowledged P1, null when none is due. */
  remindAt: number | null;
}

export interface Tell {
  receiver: string;
  event: TicketEvent;
}

export type Notifiable = Routable & { id: string; state: TicketState };

const live = (s: TicketState) => s === 'open' || s === 'acknowledged';

export function whomToTell(
  mem: TicketMemory | undefined,
  t: Notifiable,
  routes: readonly Route[],
): { tells: Tell[]; memory: TicketMemory } {
  const told = new Set(mem?.told ?? []);
  const memory: TicketMemory = {
    ticketId: t.id,
    level: t.escalation.level,
    state: t.state,
    told: [],
    remindAt: mem?.remindAt ?? null,
  };
  const tells: Tell[] = [];
  const tell = (receivers: Iterable<string>, event: TicketEvent) => {
    for (const r of receivers) {
      tells.push({ receiver: r, event });
      told.add(r);
    }
  };
  if (t.planned !== true) {
    const wasLive = mem ? live(mem.state) : false;
    if (!live(t.state)) {
      if (wasLive) tell(told, 'resolved');
    } else {
      const now = route(routes, t);
      if (mem && !wasLive)
        tell(now, 'opened'); // reopened with its incident
      else if (mem && t.escalation.level > mem.level) tell(now, 'escalated');
      else
        tell(
          now.filter((r) => !told.has(r)),
          'opened',
        );
    }
  }
  memory.told = [...told];
  return { tells, memory };
}

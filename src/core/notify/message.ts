// One message from the tells a receiver's group window collected: a single tell goes out as
// its own event, several as one `digest`. Pure.
import type { Escalation } from '../model.js';
import type { NotifyEvent } from './config.js';
import { GROUPS } from './roster.js';
import type { TicketEvent } from './whom.js';

export interface Held<T> {
  ticketId: string;
  event: TicketEvent;
  level: number;
  ticket: T;
}

export interface Composed<T> {
  event: NotifyEvent;
  level: 1 | 2 | 3;
  group: Escalation['group'];
  /** Each ticket once, in its latest state, in the order first told. */
  tickets: T[];
  /** What happened to each ticket (a digest may say opened for one and resolved for another). */
  lines: Array<{ ticket: T; event: TicketEvent }>;
}

export function compose<T extends { id: string }>(held: ReadonlyArray<Held<T>>): Composed<T> {
  if (!held.length) throw new Error('compose: nothing held');
  const latest = new Map<string, T>();
  for (const h of held) {
    latest.delete(h.ticketId);
    latest.set(h.ticketId, h.ticket);
  }
  const first = [...new Set(held.map((h) => h.ticketId))];
  const level = Math.min(3, Math.max(...held.map((h) => h.level))) as 1 | 2 | 3;
  return {
    event: held.length === 1 ? held[0].event : 'digest',
    level,
    group: GROUPS[level - 1],
    tickets: first.map((id) => latest.get(id)!),
    lines: held.map((h) => ({ ticket: h.ticket, event: h.event })),
  };
}

// The notifier: turns ticket changes into tells, holds each receiver's group window (tells
// within `groupWaitMs` of the first go out as one message), and the P1 reminders. Pure: time
// is passed in; both kinds of deadline live in the shared deadline queue.
import { DeadlineQueue } from '../time/deadline-queue.js';
import type { Route } from './config.js';
import { route } from './routing.js';
import { whomToTell, type Notifiable, type TicketEvent, type TicketMemory } from './whom.js';

export interface NotifierOptions {
  routes: readonly Route[];
  groupWaitMs: number;
  /** Reminder interval for unacknowledged P1 tickets; 0 = none. */
  reminderMs: number;
}

/** A tell waiting in its receiver's group window, with the ticket as it was then. */
export interface Pending<T> {
  receiver: string;
  ticketId: string;
  event: TicketEvent;
  level: number;
  due: number;
  ticket: T;
}

export interface NotifierStep<T> {
  pending: Array<Pending<T>>;
  memory: TicketMemory[];
  /** Receivers whose group window has closed: their pending tells become one message now. */
  closed: string[];
}

export class Notifier<T extends Notifiable> {
  private readonly memory = new Map<string, TicketMemory>();
  private readonly tickets = new Map<string, T>();
  private readonly reminders = new DeadlineQueue<string>();
  private readonly windows = new DeadlineQueue<string>();

  constructor(readonly opts: NotifierOptions) {}

  /** After a restart: the memories and the open windows (receiver, due) from the outbox. */
  restore(memories: TicketMemory[], windows: Array<{ receiver: string; due: number }>, tickets: T[]): void {
    for (const t of tickets) this.tickets.set(t.id, t);
    for (const m of memories) this.remember(m);
    for (const w of windows) this.windows.set(w.receiver, Math.min(w.due, this.windows.get(w.receiver) ?? Infinity));
  }

  memoryOf(ticketId: string): TicketMemory | undefined {
    return this.memory.get(ticketId);
  }

  onTickets(tickets: Iterable<T>, now: number): NotifierStep<T> {
    const step: NotifierStep<T> = { pending: [], memory: [], closed: [] };
    for (const t of tickets) {
      this.tickets.set(t.id, t);
      const { tells, memory } = whomToTell(this.memory.get(t.id), t, this.opts.routes);
      memory.remindAt = this.remindAt(t, memory.remindAt, now);
      this.remember(memory);
      step.memory.push(memory);
      for (const tell of tells) step.pending.push(this.hold(tell.receiver, t, tell.event, now));
      if (!['open', 'acknowledged'].includes(t.state)) this.tickets.delete(t.id);
    }
    return step;
  }

  /** Reminders due and group windows closed at `now`. */
  tick(now: number): NotifierStep<T> {
    const step: NotifierStep<T> = { pending: [], memory: [], closed: [] };
    for (const id of this.reminders.takeDue(now)) {
      const t = this.tickets.get(id);
      const m = this.memory.get(id)!;
      m.remindAt = t ? this.remindAt(t, null, now) : null;
      this.remember(m);
      step.memory.push(m);
      if (t) for (const r of route(this.opts.routes, t)) step.pending.push(this.hold(r, t, 'reminder', now));
    }
    step.closed = this.windows.takeDue(now);
    return step;
  }

  nextDue(): number | undefined {
    const a = this.reminders.nextDue();
    const b = this.windows.nextDue();
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  }

  private hold(receiver: string, t: T, event: TicketEvent, now: number): Pending<T> {
    let due = this.windows.get(receiver);
    if (due === undefined) this.windows.set(receiver, (due = now + this.opts.groupWaitMs));
    return { receiver, ticketId: t.id, event, level: t.escalation.level, due, ticket: t };
  }

  /** Unacknowledged, unplanned P1: a reminder every `reminderMs`; keeps a running one. */
  private remindAt(t: T, current: number | null, now: number): number | null {
    const wanted = this.opts.reminderMs > 0 && t.priority === 'P1' && t.state === 'open' && t.planned !== true;
    if (!wanted) return null;
    return current ?? now + this.opts.reminderMs;
  }

  private remember(m: TicketMemory): void {
    this.memory.set(m.ticketId, m);
    this.reminders.put(m.ticketId, m.remindAt);
    if (m.state === 'closed') this.memory.delete(m.ticketId);
  }
}

// Wires notifications into the service: the pure notifier decides, the outbox keeps, the
// sender delivers. `decide(tickets)` runs inside the persist step so its rows are written in
// the same transaction as the tickets; group windows and reminders run on a timer.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { routesOf, type NotifyConfig } from '../../core/notify/config.js';
import { onDuty } from '../../core/notify/duty.js';
import { compose } from '../../core/notify/message.js';
import { Notifier, type NotifierStep } from '../../core/notify/notifier.js';
import type { Person, Roster } from '../../core/notify/roster.js';
import { messageText, subjectOf } from '../../core/notify/text.js';
import type { StoredTicket } from '../../core/tickets/engine.js';
import type { Store } from '../store/sqlite.js';
import { publicTicket } from '../api/views.js';
import { makeChannel } from './channels/index.js';
import type { Outgoing } from './channels/types.js';
import type { NotifyWrite } from './outbox.js';
import { Sender } from './sender.js';

export interface HubOptions {
  store: Store;
  config: NotifyConfig;
  roster: Roster | null;
  registry: Registry;
  logger?: Logger;
  /** The NOC page for links; known once HTTP listens. */
  pageUrl?: () => string | null;
  clock?: () => number;
  /** Told once a message is delivered or given up, with the tickets it was about (for their journal). */
  onSettled?: (tickets: string[], text: string) => void;
}

type Ticket = StoredTicket & { planned?: boolean };

export class NotifyHub {
  readonly notifier: Notifier<Ticket>;
  readonly sender: Sender;
  private readonly channels = new Map<
    string,
    { type: string; lang: 'zh-CN' | 'en'; send: ReturnType<typeof makeChannel> }
  >();
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private stopped = false;
  private started = false;

  constructor(private readonly o: HubOptions) {
    this.clock = o.clock ?? Date.now;
    for (const r of o.config.receivers)
      this.channels.set(r.name, { type: r.type, lang: r.language ?? o.config.language, send: makeChannel(r) });
    this.notifier = new Notifier<Ticket>({
      routes: routesOf(o.config),
      groupWaitMs: o.config.groupWaitMs,
      reminderMs: o.config.reminderMs,
    });
    this.sender = new Sender(
      o.store.outbox,
      this.channels,
      o.config.retry,
      o.registry,
      o.logger,
      this.clock,
      (m, d) => {
        const tickets = (JSON.parse(m.body) as Outgoing).payload.tickets.map((t) => (t as { id: string }).id);
        o.onSettled?.(
          tickets,
          d.ok
            ? `${m.event} → ${m.receiver} (${m.channel})`
            : `${m.event} → ${m.receiver} (${m.channel}) given up: ${d.error}`,
        );
      },
    );
  }

  /** After a restart: who was told what, the open windows, the live tickets (for reminders). */
  restore(tickets: Ticket[]): void {
    const outbox = this.o.store.outbox;
    this.notifier.restore(
      outbox.memories(),
      outbox.windows(),
      tickets.filter((t) => t.state === 'open' || t.state === 'acknowledged'),
    );
  }

  /** People on duty now for a group (ticket `contacts`, `GET /api/v1/duty`). */
  contacts(group: Ticket['escalation']['group']): Person[] {
    return this.o.roster ? onDuty(this.o.roster, group, this.clock()).people : [];
  }

  /** The outbox rows for these ticket changes: pass them to the same `writeBatch` as the tickets. */
  decide(tickets: Iterable<Ticket>): NotifyWrite {
    return this.toWrite(this.notifier.onTickets(tickets, this.clock()));
  }

  /** Call after the write: closes due windows, arms the timer, wakes the sender. */
  afterWrite(): void {
    if (this.stopped || !this.started) return;
    const due = this.notifier.nextDue();
    if (due !== undefined && due <= this.clock()) this.tick();
    else this.arm();
    this.sender.kick();
  }

  /** Once the service listens (links in messages need its address). */
  start(): void {
    this.started = true;
    this.tick();
  }

  private toWrite(step: NotifierStep<Ticket>): NotifyWrite {
    return { memory: step.memory, pending: step.pending };
  }

  private tick(): void {
    if (this.stopped) return;
    this.timerAt = Infinity;
    const now = this.clock();
    const step = this.notifier.tick(now);
    const outbox = this.o.store.outbox;
    this.o.store.db.transaction(() => {
      outbox.write(this.toWrite(step));
      for (const receiver of step.closed) this.closeWindow(receiver, now);
    })();
    this.arm();
    this.sender.kick();
  }

  /** The tells a closed window collected become one message (a digest when more than one). */
  private closeWindow(receiver: string, now: number): void {
    const outbox = this.o.store.outbox;
    const held = outbox.takePending(receiver, now) as Array<{
      ticketId: string;
      event: 'opened';
      level: number;
      ticket: Ticket;
    }>;
    if (!held.length) return;
    const m = compose(held);
    const ch = this.channels.get(receiver);
    const lang = ch?.lang ?? this.o.config.language;
    const duty = this.contacts(m.group);
    const id = randomUUID();
    const text = messageText(m, { lang, pageUrl: this.o.pageUrl?.() ?? null, onDuty: duty });
    const tickets = m.tickets.map((t) => ({ ...publicTicket(t, lang), contacts: this.contacts(t.escalation.group) }));
    const body: Outgoing = {
      payload: { id, event: m.event, tickets, level: m.level, group: m.group, text },
      subject: subjectOf(m, lang),
      onDuty: duty,
    };
    outbox.addMessage({
      id,
      receiver,
      channel: ch?.type ?? 'unknown',
      event: m.event,
      at: now,
      body,
      tickets: m.tickets.map((t) => t.id),
    });
  }

  private arm(): void {
    const due = this.notifier.nextDue();
    if (due === undefined || this.stopped) return;
    if (this.timer && due >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = due;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - this.clock()));
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.sender.stop();
    for (const ch of this.channels.values()) ch.send.close?.();
  }
}

// One ticket per incident: priority from the circuits, escalation by the emergency
// organisation, a monotonic change sequence for the REST feed. Pure: time passed in.
import {
  iso,
  type CircuitImpact,
  type Escalation,
  type IncidentView,
  type JournalAction,
  type TicketPriority,
  type TicketView,
} from '../model.js';
import { impactWords } from '../../shared/impact-words.js';
import { DeadlineQueue } from '../time/deadline-queue.js';
import type { TopologyGraph } from '../topology/graph.js';
import { escalationText, journalChanges, record, snapshot, SYSTEM } from './journal.js';
import { markPlanned, plannedEscalation, planTitles, unplan } from './planned.js';
import type { Unplanned } from '../maintenance/engine.js';
import { fill, RUNBOOKS, type Lang } from './runbooks.js';

export interface TicketOptions {
  escalateAfterMs: number;
}

export type TicketResult =
  { ok: true; ticket: TicketView } | { ok: false; code: 'NOT_FOUND' | 'CONFLICT'; message: string };

const GROUPS: Record<1 | 2 | 3, Escalation['group']> = { 1: 'duty', 2: 'implementation', 3: 'leadership' };

/**
 * From the ticket's own incident's impacts only: P1 a vip circuit down or failed to switch
 * through it, P2 any circuit so, P3 circuits switched, waiting for a switch, without protection
 * or at risk, P4 none.
 */
export function priorityOf(impacts: ReadonlyArray<Pick<CircuitImpact, 'impact' | 'priority'>>): TicketPriority {
  let p: TicketPriority = 'P4';
  for (const c of impacts) {
    const bad = c.impact === 'down' || c.impact === 'switch-failed';
    if (bad && c.priority === 'vip') return 'P1';
    if (bad) p = 'P2';
    else if (p === 'P4') p = 'P3';
  }
  return p;
}

export interface StoredTicket extends TicketView {
  runbooks: Record<Lang, Array<{ step: number; text: string }>>;
}

export class TicketEngine {
  private readonly tickets = new Map<string, StoredTicket>();
  private readonly byIncident = new Map<string, string>();
  /** Escalation deadlines, earliest first. */
  private readonly escalations = new DeadlineQueue<string>();
  private seq = 0;
  private n = 0;

  constructor(
    readonly graph: TopologyGraph,
    readonly opts: TicketOptions,
  ) {}

  /** Keeps the escalation queue in step with `t.escalateAt` (live and on restore alike). */
  private track(t: StoredTicket): void {
    this.escalations.put(t.id, t.escalateAt);
  }

  restore(tickets: StoredTicket[]): void {
    for (const t of tickets) {
      // Tickets stored before the journal existed start with an empty one.
      t.journal ??= [];
      t.planned ??= false;
      this.track(t);
      this.tickets.set(t.id, t);
      this.byIncident.set(t.incidentId, t.id);
      this.seq = Math.max(this.seq, t.seq);
      this.n = Math.max(this.n, Number(t.id.slice(4)));
    }
  }
  setBase(n: number, seq: number): void {
    this.n = Math.max(this.n, n);
    this.seq = Math.max(this.seq, seq);
  }

  get(id: string): StoredTicket | undefined {
    return this.tickets.get(id);
  }
  ofIncident(incidentId: string): StoredTicket | undefined {
    const id = this.byIncident.get(incidentId);
    return id ? this.tickets.get(id) : undefined;
  }

  nextDue(): number | undefined {
    return this.escalations.nextDue();
  }

  /** Creates or updates the ticket of an incident, from the incident's impacts. */
  onIncident(inc: IncidentView, now: number, unplanned?: Unplanned): StoredTicket | undefined {
    // No ticket for a merged incident, nor (yet) for symptoms still waiting for their cause.
    if ((inc.mergedInto || inc.awaitingCauseUntil) && !this.byIncident.has(inc.id)) return undefined;
    const impacts = inc.impacts ?? [];
    const priority = priorityOf(impacts);
    const customers = [...new Set(impacts.map((c) => c.customer))].sort();
    const texts = this.texts(inc, customers, impacts);
    const existing = this.ofIncident(inc.id);
    if (!existing) {
      const vipUnclassified = inc.kind === 'unclassified' && impacts.some((c) => c.priority === 'vip');
      const escalation: Escalation = inc.maintenance
        ? plannedEscalation(inc.maintenance)
        : vipUnclassified
          ? { level: 3, group: 'leadership', reason: 'unclassified fault on a VIP circuit: report upwards at once' }
          : priority === 'P1'
            ? { level: 2, group: 'implementation', reason: 'P1: a VIP circuit is down or failed to switch' }
            : { level: 1, group: 'duty', reason: 'new ticket' };
      const id = `TKT-${++this.n}`;
      const t: StoredTicket = {
        id,
        seq: ++this.seq,
        incidentId: inc.id,
        kind: inc.kind,
        title: texts.titles['zh-CN'],
        titles: texts.titles,
        priority,
        state: inc.state === 'open' ? 'open' : 'resolved',
        affectedCircuits: impacts.map((c) => c.circuit),
        impacts,
        customers,
        runbook: texts.runbooks['zh-CN'],
        runbooks: texts.runbooks,
        escalation,
        createdAt: iso(now),
        updatedAt: iso(now),
        resolvedAt: inc.state === 'open' ? null : iso(now),
        ackBy: null,
        ackAt: null,
        closedBy: null,
        closeNote: null,
        planned: false,
        journal: [],
        escalateAt:
          inc.state === 'open' && escalation.level < 3 && !inc.maintenance ? now + this.opts.escalateAfterMs : null,
      };
      record(t, now, SYSTEM, 'created', `${priority}, ${t.affectedCircuits.length} circuits; ${escalationText(t)}`);
      if (inc.maintenance) {
        markPlanned(t, inc.maintenance, now);
        t.titles = planTitles(t.titles, t);
        t.title = t.titles['zh-CN'];
      }
      this.tickets.set(id, t);
      this.byIncident.set(inc.id, id);
      this.track(t);
      return t;
    }
    const t = existing;
    const before = fingerprint(t);
    const journalBefore = snapshot(t);
    const levelBefore = t.escalation.level;
    if (unplanned && t.planned) unplan(t, unplanned, priority, now, this.opts.escalateAfterMs);
    t.kind = inc.kind;
    t.titles = planTitles(texts.titles, t);
    t.title = t.titles['zh-CN'];
    t.runbooks = texts.runbooks;
    t.runbook = texts.runbooks['zh-CN'];
    if (t.state === 'closed' && inc.state === 'open') {
      // The fault came back within the reopen window after a person closed the ticket: one
      // ticket per incident, so it reopens.
      t.state = 'open';
      t.closedBy = null;
      t.closeNote = null;
      t.ackBy = null;
      t.ackAt = null;
      t.resolvedAt = null;
      t.escalateAt = t.escalation.level < 3 ? now + this.opts.escalateAfterMs : null;
    }
    if (t.state !== 'closed') {
      if (inc.state === 'open') {
        t.priority = priority;
        t.impacts = impacts;
        t.affectedCircuits = impacts.map((c) => c.circuit);
        t.customers = customers;
        if (t.state === 'resolved') {
          t.state = t.ackBy ? 'acknowledged' : 'open';
          t.resolvedAt = null;
          if (!t.ackBy) t.escalateAt = t.escalation.level < 3 ? now + this.opts.escalateAfterMs : null;
        }
        if (priority === 'P1' && t.escalation.level < 2 && !t.planned) {
          t.escalation = { level: 2, group: 'implementation', reason: 'P1: a VIP circuit is down or failed to switch' };
        }
      } else if (t.state === 'open' || t.state === 'acknowledged') {
        t.state = 'resolved';
        t.resolvedAt = inc.clearedAt ?? iso(now);
        t.escalateAt = null;
      }
    }
    // A planned ticket is never escalated.
    if (t.planned) t.escalateAt = null;
    const after = fingerprint(t);
    if (before === after) return undefined;
    journalChanges(t, journalBefore, now);
    if (t.escalation.level !== levelBefore) record(t, now, SYSTEM, 'escalated', escalationText(t));
    return this.touch(t, now);
  }

  private touch(t: StoredTicket, now: number): StoredTicket {
    this.track(t);
    t.seq = ++this.seq;
    t.updatedAt = iso(now);
    return t;
  }

  ack(id: string, by: string, now: number): TicketResult {
    const t = this.tickets.get(id);
    if (!t) return { ok: false, code: 'NOT_FOUND', message: `ticket "${id}" does not exist` };
    if (t.state === 'closed') return { ok: false, code: 'CONFLICT', message: `ticket "${id}" is closed` };
    // The first acknowledger stays: a second ack is a conflict, not a takeover.
    if (t.ackBy)
      return {
        ok: false,
        code: 'CONFLICT',
        message: `ticket "${id}" was already acknowledged by ${t.ackBy} at ${t.ackAt}`,
      };
    if (t.state === 'open') t.state = 'acknowledged';
    t.ackBy = by;
    t.ackAt = iso(now);
    t.escalateAt = null;
    record(t, now, by, 'acknowledged');
    return { ok: true, ticket: this.touch(t, now) };
  }

  close(id: string, by: string, note: string | null, now: number): TicketResult {
    const t = this.tickets.get(id);
    if (!t) return { ok: false, code: 'NOT_FOUND', message: `ticket "${id}" does not exist` };
    if (t.state !== 'resolved') {
      return {
        ok: false,
        code: 'CONFLICT',
        message: `ticket "${id}" is ${t.state}; only a resolved ticket can be closed`,
      };
    }
    t.state = 'closed';
    t.closedBy = by;
    t.closeNote = note;
    t.escalateAt = null;
    record(t, now, by, 'closed', note ?? undefined);
    return { ok: true, ticket: this.touch(t, now) };
  }

  /** A person's note on a ticket (any state: the journal is its history). */
  note(id: string, by: string, text: string, now: number): TicketResult {
    return this.journal(id, by, 'note', text, now);
  }

  /**
   * Appends an entry to a ticket's journal and publishes the ticket as changed (new seq).
   * For what happens outside the ticket engine: notes, switchover confirmations, notifications.
   */
  journal(id: string, by: string, action: JournalAction, text: string | undefined, now: number): TicketResult {
    const t = this.tickets.get(id);
    if (!t) return { ok: false, code: 'NOT_FOUND', message: `ticket "${id}" does not exist` };
    record(t, now, by, action, text);
    return { ok: true, ticket: this.touch(t, now) };
  }

  /** Unacknowledged tickets past their deadline rise one level (at most 3). */
  tick(now: number): StoredTicket[] {
    const out: StoredTicket[] = [];
    for (const id of this.escalations.takeDue(now)) {
      const t = this.tickets.get(id)!;
      const level = Math.min(3, t.escalation.level + 1) as 1 | 2 | 3;
      t.escalation = {
        level,
        group: GROUPS[level],
        reason: `unacknowledged for ${Math.round(this.opts.escalateAfterMs / 60000)} min`,
      };
      t.escalateAt = level < 3 ? now + this.opts.escalateAfterMs : null;
      record(t, now, SYSTEM, 'escalated', escalationText(t));
      out.push(this.touch(t, now));
    }
    return out;
  }

  private texts(inc: IncidentView, customers: string[], impacts: readonly CircuitImpact[]) {
    const d = inc.detail as Record<string, unknown>;
    const str = (v: unknown) => (v == null ? '?' : Array.isArray(v) ? v.join(', ') : String(v));
    const span = inc.spans[0];
    const s = span ? this.graph.spans.get(span) : undefined;
    const params: Record<string, string> = {
      count: String(impacts.length),
      impacts: impactWords(impacts, 'zh-CN'),
      impactsEn: impactWords(impacts, 'en'),
      span: str(span),
      where: s ? `${s.a.node}—${s.z.node}` : str(inc.nodes.length ? inc.nodes : inc.equipment),
      fibres: d.fibres === 'both' ? '双纤中断' : '单纤中断',
      fibresEn: d.fibres === 'both' ? 'both fibres' : 'one fibre',
      cable: str(d.cable ?? s?.cable),
      km: str(d.km ?? s?.km),
      node: str(d.node ?? inc.nodes[0]),
      site: str(d.siteName ? `${d.site} ${d.siteName}` : (d.site ?? inc.sites[0])),
      batteryMinutes: str(d.batteryMinutes),
      powerFailAt: str(d.powerFailAt),
      batteryEndsAt: str(d.batteryEndsAt),
      accessLink: str(d.accessLink ?? inc.accessLinks[0]),
      port: str(d.port),
      cpe: str(d.cpe),
      cpeKind: str(d.cpeKind),
      reason: str(d.reason),
      circuit: str(d.circuit),
      drop: str(d.drop),
      equipment: str(d.equipment ?? inc.equipment[0]),
      boards: str(d.boards),
      types: str(d.types),
      hint: str(d.hint),
      customers: customers.length ? customers.join('、') : '-',
    };
    const rb = RUNBOOKS[inc.kind];
    const steps = (lang: Lang) => rb.steps[lang].map((text, i) => ({ step: i + 1, text: fill(text, params) }));
    return {
      titles: { 'zh-CN': fill(rb.title['zh-CN'], params), en: fill(rb.title.en, params) },
      runbooks: { 'zh-CN': steps('zh-CN'), en: steps('en') },
    };
  }
}

/** What a ticket update compares before and after: the fields a reader of the ticket sees change. */
function fingerprint(t: StoredTicket): string {
  return JSON.stringify([
    t.priority,
    t.state,
    t.impacts,
    t.customers,
    t.titles,
    t.runbooks,
    t.escalation,
    t.kind,
    t.planned,
  ]);
}

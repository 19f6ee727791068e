// What the API shows of the internal views (contract section 7), localised where needed.
import type { AlarmView, CircuitView, IncidentView, TicketView } from '../../core/model.js';
import type { Column } from './csv.js';
import type { Lang } from '../../core/tickets/runbooks.js';
import type { StoredTicket } from '../../core/tickets/engine.js';

export function pickLang(header: string | string[] | undefined): Lang {
  const h = Array.isArray(header) ? header.join(',') : (header ?? '');
  const prefs = h
    .split(',')
    .map((p) => {
      const [tag, ...params] = p.trim().split(';');
      const q = params.map((x) => /^\s*q=([\d.]+)/.exec(x)).find(Boolean);
      return { tag: tag.toLowerCase(), q: q ? Number(q[1]) : 1 };
    })
    .filter((p) => p.tag && p.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const p of prefs) {
    if (p.tag.startsWith('zh')) return 'zh-CN';
    if (p.tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function publicTicket(t: StoredTicket, lang: Lang) {
  const { runbooks, titles, escalateAt: _e, ...rest } = t;
  // Tickets stored before contract 2 have no journal or planned flag.
  return {
    ...rest,
    planned: rest.planned ?? false,
    journal: rest.journal ?? [],
    title: titles?.[lang] ?? t.title,
    runbook: runbooks?.[lang] ?? t.runbook,
    language: lang,
  };
}

export function publicIncident(i: IncidentView) {
  const {
    impact: _i,
    anchor: _a,
    explains: _x,
    ...rest
  } = i as IncidentView & { anchor?: string; explains?: string[] };
  return rest;
}

export function publicAlarm(a: AlarmView) {
  return { ...a, ackBy: a.ackBy ?? null, ackAt: a.ackAt ?? null };
}

export const ALARM_CSV: Array<Column<AlarmView>> = [
  ['id', (a) => a.id],
  ['node', (a) => a.node],
  ['object', (a) => a.object],
  ['type', (a) => a.type],
  ['vendorName', (a) => a.vendorName],
  ['severity', (a) => a.severity],
  ['state', (a) => a.state],
  ['raisedAt', (a) => a.raisedAt],
  ['clearedAt', (a) => a.clearedAt],
  ['count', (a) => a.count],
  ['incidentId', (a) => a.incidentId],
  ['suppressed', (a) => a.suppressed],
  ['ackBy', (a) => a.ackBy],
  ['ackAt', (a) => a.ackAt],
];

type StoredView = TicketView & { titles?: Record<Lang, string> };
export const ticketCsv = (lang: Lang): Array<Column<StoredView>> => [
  ['id', (t) => t.id],
  ['incidentId', (t) => t.incidentId],
  ['kind', (t) => t.kind],
  ['priority', (t) => t.priority],
  ['state', (t) => t.state],
  ['planned', (t) => t.planned ?? false],
  ['title', (t) => t.titles?.[lang] ?? t.title],
  ['customers', (t) => t.customers.join('; ')],
  ['affectedCircuits', (t) => t.affectedCircuits.join(' ')],
  ['escalationLevel', (t) => t.escalation.level],
  ['createdAt', (t) => t.createdAt],
  ['updatedAt', (t) => t.updatedAt],
  ['ackBy', (t) => t.ackBy],
  ['ackAt', (t) => t.ackAt],
  ['resolvedAt', (t) => t.resolvedAt],
  ['closedBy', (t) => t.closedBy],
  ['closeNote', (t) => t.closeNote],
];

export function publicCircuit(c: CircuitView) {
  const { switchFailed: _s, switchFailedAt: _a, workingFailedSeen: _w, ...rest } = c;
  return rest;
}

// Routing: the first route whose `match` fits the ticket names its receivers (Alertmanager's
// routes, flat). A planned ticket is never routed (contract 2 §8). Pure.
import type { TicketView } from '../model.js';
import type { Match, Route } from './config.js';

export type Routable = Pick<TicketView, 'priority' | 'kind' | 'escalation' | 'customers'> & { planned?: boolean };

const anyOf = <T>(allowed: readonly T[] | undefined, value: T) => !allowed || allowed.includes(value);

export function matches(m: Match, t: Routable): boolean {
  return (
    anyOf(m.priority, t.priority) &&
    anyOf(m.kind, t.kind) &&
    anyOf(m.level, t.escalation.level) &&
    anyOf(m.group, t.escalation.group) &&
    (m.planned === undefined || m.planned === (t.planned === true)) &&
    (!m.customer || t.customers.some((c) => m.customer!.includes(c)))
  );
}

/** Receiver names for the ticket as it is now; none for a planned ticket. */
export function route(routes: readonly Route[], t: Routable): string[] {
  if (t.planned === true) return [];
  return routes.find((r) => matches(r.match, t))?.receivers ?? [];
}

// What the operator should look at first: incidents by priority, then age (the oldest first
// within a priority); planned works (割接) after every real incident; no ticket yet after P4.
import type { Incident, Ticket } from './types.js';

const PRIORITY_RANK: Record<string, number> = { P1: 0, P2: 1, P3: 2, P4: 3 };

export function isPlanned(i: Incident, tk: Ticket | undefined): boolean {
  return tk?.planned === true || (i.maintenance != null && tk?.planned !== false);
}

export function rankOf(i: Incident, tk: Ticket | undefined): number {
  const p = tk ? (PRIORITY_RANK[tk.priority] ?? 4) : 4;
  return (isPlanned(i, tk) ? 10 : 0) + p;
}

export function byPriority(
  incidents: Iterable<Incident>,
  ticket: (id: string | null) => Ticket | undefined,
): Incident[] {
  const rows = [...incidents].filter((i) => i.state === 'open').map((i) => ({ i, r: rankOf(i, ticket(i.ticketId)) }));
  rows.sort(
    (a, b) =>
      a.r - b.r || a.i.openedAt.localeCompare(b.i.openedAt) || a.i.id.localeCompare(b.i.id, 'en', { numeric: true }),
  );
  return rows.map((x) => x.i);
}

/** Counts for the title bar and the favicon: real P1s and all real open incidents. */
export function headline(
  sorted: Incident[],
  ticket: (id: string | null) => Ticket | undefined,
): { p1: number; open: number } {
  let p1 = 0;
  let open = 0;
  for (const i of sorted) {
    const tk = ticket(i.ticketId);
    if (isPlanned(i, tk)) continue;
    open++;
    if (tk?.priority === 'P1') p1++;
  }
  return { p1, open };
}

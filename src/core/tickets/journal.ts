// A ticket's journal: what happened to it, in order (contract 2 §7). The ticket engine writes
// the service's own entries from the changes it makes; people's actions come as commands.
// Pure: time passed in.
import { iso, type JournalAction, type TicketView } from '../model.js';

/** `by` of the entries the service writes itself. */
export const SYSTEM = 'ringguard';

/**
 * A flapping fault can resolve and reopen its ticket all night: past this many entries the
 * oldest ones after `created` are dropped (the alarms and SQLite keep the detail).
 */
export const JOURNAL_MAX = 500;

export function record(
  t: Pick<TicketView, 'journal'>,
  now: number,
  by: string,
  action: JournalAction,
  text?: string,
): void {
  t.journal.push({ at: iso(now), by, action, ...(text ? { text } : {}) });
  if (t.journal.length > JOURNAL_MAX) t.journal.splice(1, t.journal.length - JOURNAL_MAX);
}

/** What a ticket looked like before an update, to journal what the update changed. */
export interface Snapshot {
  priority: string;
  kind: string;
  state: string;
  circuits: string;
  count: number;
}

export const snapshot = (t: TicketView): Snapshot => ({
  priority: t.priority,
  kind: t.kind,
  state: t.state,
  circuits: [...t.affectedCircuits].sort().join(','),
  count: t.affectedCircuits.length,
});

/** The journal entries for the service's own changes between two snapshots. */
export function journalChanges(t: TicketView, before: Snapshot, now: number): void {
  const after = snapshot(t);
  if (after.kind !== before.kind) record(t, now, SYSTEM, 'kind', `${before.kind} → ${after.kind}`);
  if (after.circuits !== before.circuits) record(t, now, SYSTEM, 'impact', `${before.count} → ${after.count} circuits`);
  if (after.priority !== before.priority) record(t, now, SYSTEM, 'priority', `${before.priority} → ${after.priority}`);
  if (after.state === before.state) return;
  if (after.state === 'resolved') record(t, now, SYSTEM, 'resolved', 'the incident cleared');
  else if (before.state === 'resolved' || before.state === 'closed')
    record(t, now, SYSTEM, 'reopened', 'the fault came back');
}

export const escalationText = (t: TicketView) =>
  `level ${t.escalation.level} ${t.escalation.group}: ${t.escalation.reason}`;

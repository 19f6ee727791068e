// Fixed recipients plus, when `roster` is on, those of the people on duty in the message's group.
import type { Person } from '../../../core/notify/roster.js';

export function recipients(
  to: string[],
  roster: boolean,
  onDuty: Person[],
  pick: (p: Person) => string | undefined,
): string[] {
  const fromRoster = roster ? onDuty.map(pick).filter((x): x is string => !!x) : [];
  return [...new Set([...to, ...fromRoster])];
}

// Who is on duty now in a group: an override covering now, else the rota's shift, else the
// group's standing members. Pure: `now` is passed in.
import { GROUPS, type Group, type Person, type Roster } from './roster.js';

const DAY = 86_400_000;

export interface OnDuty {
  group: Group;
  level: 1 | 2 | 3;
  /** The rota shift now (e.g. "night"), "override", or null for standing members. */
  shift: string | null;
  people: Person[];
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function offsetMs(utcOffset: string): number {
  const sign = utcOffset.startsWith('-') ? -1 : 1;
  return sign * (Number(utcOffset.slice(1, 3)) * 60 + Number(utcOffset.slice(4, 6))) * 60_000;
}

/** The shift covering local time `local` (ms), and the local day number the shift started on. */
function shiftAt(
  shifts: Array<{ name: string; from: string; to: string }>,
  local: number,
): { name: string; day: number } | undefined {
  const today = Math.floor(local / DAY);
  const m = Math.floor((local - today * DAY) / 60_000);
  for (const s of shifts) {
    const from = minutes(s.from);
    const to = minutes(s.to);
    if (from < to && m >= from && m < to) return { name: s.name, day: today };
    if (from >= to && (m >= from || m < to)) return { name: s.name, day: m >= from ? today : today - 1 };
  }
  return undefined;
}

export function onDuty(roster: Roster, group: Group, now: number): OnDuty {
  const level = (GROUPS.indexOf(group) + 1) as 1 | 2 | 3;
  const byId = new Map(roster.people.map((p) => [p.id, p]));
  const people = (ids: string[]) => ids.map((id) => byId.get(id)).filter((p): p is Person => !!p);
  const override = roster.overrides.find(
    (o) => o.group === group && Date.parse(o.from) <= now && now < Date.parse(o.to),
  );
  if (override) return { group, level, shift: 'override', people: people(override.people) };
  const def = roster.groups[group];
  if (!def) return { group, level, shift: null, people: [] };
  if (def.rota) {
    const local = now + offsetMs(roster.utcOffset);
    const shift = shiftAt(def.rota.shifts, local);
    if (shift) {
      const period = def.rota.every === 'week' ? 7 : 1;
      const start = Math.floor(Date.parse(`${def.rota.start}T00:00:00Z`) / DAY);
      const n = def.rota.slots.length;
      const k = Math.floor((shift.day - start) / period);
      const slot = def.rota.slots[((k % n) + n) % n];
      const ids = slot[shift.name] ?? [];
      if (ids.length) return { group, level, shift: shift.name, people: people(ids) };
    }
  }
  return { group, level, shift: null, people: people(def.members) };
}

/** Everyone on duty now, per group in level order. */
export function dutyNow(roster: Roster | null, now: number): OnDuty[] {
  return GROUPS.map((g, i) =>
    roster ? onDuty(roster, g, now) : { group: g, level: (i + 1) as 1 | 2 | 3, shift: null, people: [] },
  );
}

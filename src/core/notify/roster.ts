// The roster (contract 2 §8): people, the three groups of the emergency organisation and the
// duty rota. zod checks the shape; the references are checked here, one `path: message` per
// problem, as for the topology file. Pure.
import { z } from 'zod';
import type { Escalation } from '../model.js';
import { formatPath, type TopologyProblem } from '../topology/validate.js';

export const GROUPS = ['duty', 'implementation', 'leadership'] as const satisfies ReadonlyArray<Escalation['group']>;
export type Group = (typeof GROUPS)[number];

const id = z.string().trim().min(1);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00-23:59)');
const instant = z
  .string()
  .refine((s) => /T/.test(s) && Number.isFinite(Date.parse(s)), 'must be an ISO 8601 date-time with an offset');

const Person = z
  .object({
    id,
    name: z.string().trim().min(1),
    phone: z.string().trim().min(1).optional(),
    email: z.string().trim().min(3).optional(),
    wecom: z.string().trim().min(1).optional().describe('WeCom user id, mentioned in group-robot messages'),
    dingtalk: z.string().trim().min(1).optional().describe('DingTalk mobile number, @-mentioned by the robot'),
  })
  .strict();

const Rota = z
  .object({
    start: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .refine((s) => Number.isFinite(Date.parse(s)), 'is not a date'),
    every: z.enum(['day', 'week']).default('week'),
    shifts: z.array(z.object({ name: id, from: hhmm, to: hhmm }).strict()).min(1),
    slots: z.array(z.record(z.string(), z.array(id))).min(1),
  })
  .strict();

const GroupDef = z
  .object({
    members: z.array(id).default([]),
    rota: Rota.optional(),
  })
  .strict();

const Override = z
  .object({
    group: z.enum(GROUPS),
    from: instant,
    to: instant,
    people: z.array(id).min(1),
    reason: z.string().optional(),
  })
  .strict();

export const RosterSchema = z
  .object({
    utcOffset: z
      .string()
      .regex(/^[+-]([01]\d|2[0-3]):[0-5]\d$/, 'must be like +08:00')
      .default('+08:00'),
    people: z.array(Person).min(1),
    groups: z
      .object({ duty: GroupDef.optional(), implementation: GroupDef.optional(), leadership: GroupDef.optional() })
      .strict(),
    overrides: z.array(Override).default([]),
  })
  .strict();

export type Roster = z.infer<typeof RosterSchema>;
export type Person = z.infer<typeof Person>;
export type RosterProblem = TopologyProblem;

export type RosterResult = { ok: true; roster: Roster } | { ok: false; problems: RosterProblem[] };

export function parseRoster(doc: unknown): RosterResult {
  const parsed = RosterSchema.safeParse(doc);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  const problems = checkRoster(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, roster: parsed.data };
}

function checkRoster(r: Roster): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const people = new Set<string>();
  r.people.forEach((p, i) => {
    if (people.has(p.id)) add(`people[${i}].id`, `duplicate id "${p.id}"`);
    people.add(p.id);
  });
  const needPeople = (path: string, ids: string[]) =>
    ids.forEach((p, i) => {
      if (!people.has(p)) add(`${path}[${i}]`, `person "${p}" does not exist`);
    });
  for (const g of GROUPS) {
    const def = r.groups[g];
    if (!def) continue;
    needPeople(`groups.${g}.members`, def.members);
    if (!def.rota && !def.members.length) add(`groups.${g}`, 'needs members or a rota');
    if (def.rota) checkRota(def.rota, `groups.${g}.rota`, add, needPeople);
  }
  r.overrides.forEach((o, i) => {
    needPeople(`overrides[${i}].people`, o.people);
    if (Date.parse(o.to) <= Date.parse(o.from)) add(`overrides[${i}].to`, 'must be after from');
  });
  return problems;
}

function checkRota(
  rota: NonNullable<Roster['groups']['duty']>['rota'] & object,
  path: string,
  add: (path: string, message: string) => void,
  needPeople: (path: string, ids: string[]) => void,
): void {
  const names = new Set<string>();
  rota.shifts.forEach((s, i) => {
    if (names.has(s.name)) add(`${path}.shifts[${i}].name`, `duplicate shift "${s.name}"`);
    names.add(s.name);
  });
  rota.slots.forEach((slot, i) => {
    for (const [shift, ids] of Object.entries(slot)) {
      if (!names.has(shift)) add(`${path}.slots[${i}].${shift}`, `shift "${shift}" is not in shifts`);
      needPeople(`${path}.slots[${i}].${shift}`, ids);
    }
  });
}

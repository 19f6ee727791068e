// On duty (contract 2 §8): `GET /api/v1/duty`, `GET /api/v1/tickets/:id/notifications`, and
// the ticket `contacts` (the people on duty now for the ticket's escalation level), added to
// every ticket the API returns.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dutyNow, type OnDuty } from '../../core/notify/duty.js';
import type { Person } from '../../core/notify/roster.js';
import type { Escalation } from '../../core/model.js';
import type { AttemptView } from '../notify/outbox.js';
import type { Store } from '../store/sqlite.js';
import { ApiError } from './errors.js';
import { Contact } from './shapes.js';

export interface DutyDeps {
  dutyNow(): OnDuty[];
  contacts(group: Escalation['group']): Person[];
  notifications(ticketId: string): AttemptView[];
  ticketExists(id: string): boolean;
  rosterLoaded: boolean;
}

const GroupNow = z.object({
  level: z.number().int(),
  shift: z.string().nullable().describe('rota shift now, "override", or null for standing members'),
  people: z.array(Contact),
});
const DutyResponse = z
  .object({
    at: z.string(),
    roster: z.boolean(),
    groups: z.object({ duty: GroupNow, implementation: GroupNow, leadership: GroupNow }),
  })
  .meta({ id: 'Duty' });
const Attempt = z
  .object({
    notification: z.string().describe('message id = the idempotency key in the payload'),
    receiver: z.string(),
    channel: z.string(),
    event: z.enum(['opened', 'escalated', 'reminder', 'resolved', 'digest']),
    attempt: z.number().int().describe('0 while queued'),
    at: z.string().nullable(),
    outcome: z.enum(['queued', 'sent', 'failed']),
    status: z.number().int().nullable(),
    error: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
  })
  .meta({ id: 'NotificationAttempt' });

/** Without a roster: nobody on duty, tickets with empty `contacts`; attempts from the store. */
export function withoutRoster(store: Store): DutyDeps {
  return {
    dutyNow: () => dutyNow(null, Date.now()),
    contacts: () => [],
    rosterLoaded: false,
    notifications: (id) => store.outbox.ofTicket(id),
    ticketExists: (id) => !!store.getTicket(id),
  };
}

type Ticketish = { escalation?: { group?: Escalation['group'] } };

/** A ticket as the API gives it (REST and the event stream): with `contacts`, the people on duty now for its level. */
export function withContacts<T>(deps: Pick<DutyDeps, 'contacts'>, t: T): T | (T & { contacts: Person[] }) {
  const g = (t as Ticketish)?.escalation?.group;
  return g ? { ...t, contacts: deps.contacts(g) } : t;
}

export function registerDuty(
  app: FastifyInstance,
  deps: DutyDeps,
  read: (req: FastifyRequest) => Promise<void>,
  clock: () => number = Date.now,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const contacts = (t: unknown) => withContacts(deps, t);
  app.addHook('preSerialization', async (req: FastifyRequest, _reply, payload: unknown) => {
    if (
      !req.url.startsWith('/api/v1/tickets') ||
      /\/notifications(\?|$)/.test(req.url) ||
      !payload ||
      typeof payload !== 'object'
    )
      return payload;
    const p = payload as { items?: unknown[] };
    return Array.isArray(p.items) ? { ...p, items: p.items.map(contacts) } : contacts(p);
  });

  r.get(
    '/api/v1/duty',
    {
      schema: {
        tags: ['duty'],
        operationId: 'getDuty',
        summary: 'Who is on duty now in each group (duty, implementation, leadership)',
        response: { 200: DutyResponse },
      },
      onRequest: read,
    },
    async () => {
      const groups = Object.fromEntries(
        deps.dutyNow().map((d) => [d.group, { level: d.level, shift: d.shift, people: d.people }]),
      );
      return { at: new Date(clock()).toISOString(), roster: deps.rosterLoaded, groups } as z.infer<typeof DutyResponse>;
    },
  );

  r.get(
    '/api/v1/tickets/:id/notifications',
    {
      schema: {
        tags: ['tickets'],
        operationId: 'listTicketNotifications',
        summary: 'Notification attempts about a ticket (a message not tried yet is listed as queued)',
        params: z.object({ id: z.string().min(1) }),
        response: { 200: z.object({ items: z.array(Attempt) }) },
      },
      onRequest: read,
    },
    async (req) => {
      if (!deps.ticketExists(req.params.id))
        throw new ApiError('NOT_FOUND', `ticket "${req.params.id}" does not exist`);
      return { items: deps.notifications(req.params.id) as Array<z.infer<typeof Attempt>> };
    },
  );
}

// The response shapes of contract section 7, as zod schemas: they document the API in /docs
// (OpenAPI). Responses are not re-validated at run time; the API tests check the shapes.
import { z } from 'zod';
import { CIRCUIT_STATES, IMPACT_KINDS, INCIDENT_KINDS, JOURNAL_ACTIONS } from '../../core/model.js';

const iso = z.string().describe('ISO 8601 UTC');
const errorBody = z.object({
  error: z.object({
    code: z.enum(['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'INTERNAL']),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export const Alarm = z
  .looseObject({
    id: z.string(),
    node: z.string(),
    object: z.string().describe('PORT, PORT:CHANNEL or "" for the whole NE'),
    type: z.string().describe('canonical type (LOS, MS-RDI, …) or UNKNOWN:<name>'),
    vendorName: z.string(),
    severity: z.enum(['critical', 'major', 'minor', 'warning', 'indeterminate', 'cleared']),
    state: z.enum(['active', 'cleared']),
    raisedAt: iso,
    clearedAt: iso.nullable(),
    count: z.number().int(),
    incidentId: z.string().nullable(),
    suppressed: z.boolean(),
    flapping: z.boolean().describe('raised and cleared repeatedly in a short time'),
    text: z.string().optional().describe('free text the sender gave (rgText)'),
    clearedBy: z.literal('resync').optional().describe('present when a resynchronisation with the sender cleared it'),
    ackBy: z.string().nullable().describe('who acknowledged it (contract 2)'),
    ackAt: iso.nullable(),
  })
  .meta({ id: 'Alarm' });

const CircuitImpact = z
  .object({
    circuit: z.string(),
    customer: z.string(),
    priority: z.enum(['vip', 'high', 'normal']),
    impact: z.enum(IMPACT_KINDS).describe('what this incident does to the circuit'),
  })
  .meta({ id: 'CircuitImpact' });
const impacts = z
  .array(CircuitImpact)
  .describe("the circuits this incident's failures touch (the same as affectedCircuits)");

export const Incident = z
  .looseObject({
    id: z.string(),
    kind: z.enum(INCIDENT_KINDS),
    state: z.enum(['open', 'cleared']),
    openedAt: iso,
    clearedAt: iso.nullable(),
    spans: z.array(z.string()),
    nodes: z.array(z.string()),
    sites: z.array(z.string()),
    accessLinks: z.array(z.string()),
    equipment: z.array(z.string()),
    rootAlarmIds: z.array(z.string()),
    alarmCount: z.number().int(),
    affectedCircuits: z.array(z.string()),
    impacts,
    ticketId: z.string().nullable(),
    mergedInto: z
      .string()
      .nullable()
      .describe('the incident this one was merged into (a partial reading of the same fault)'),
    awaitingCauseUntil: iso
      .nullable()
      .describe('consequent alarms only, still unexplained: the ticket waits until then (orphan grace)'),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Incident' });

export const Circuit = z
  .looseObject({
    id: z.string(),
    customer: z.string(),
    priority: z.enum(['vip', 'high', 'normal']),
    protection: z.enum(['ms-spring', 'sncp', 'none']),
    state: z.enum(CIRCUIT_STATES),
    activePath: z.enum(['working', 'protection']),
    protectionAvailable: z.boolean(),
    incidentIds: z.array(z.string()),
    confirmedBy: z.string().nullable(),
    workingRestored: z.boolean(),
    atRiskUntil: iso.nullable(),
    since: iso.describe('when the circuit entered its current state'),
    timerDue: iso
      .nullable()
      .describe('deadline of the running timer (switch timeout or wait-to-restore), null when none runs'),
    note: z.string().nullable().optional().describe("the engineer's note with the last confirmed switchover"),
  })
  .meta({ id: 'Circuit' });

export const Contact = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    phone: z.string().optional(),
    email: z.string().optional(),
    wecom: z.string().optional().describe('WeCom user id'),
    dingtalk: z.string().optional().describe('DingTalk mobile'),
  })
  .meta({ id: 'Contact' });

export const Ticket = z
  .looseObject({
    id: z.string(),
    seq: z.number().int(),
    incidentId: z.string(),
    kind: z.string(),
    title: z.string(),
    priority: z.enum(['P1', 'P2', 'P3', 'P4']),
    state: z.enum(['open', 'acknowledged', 'resolved', 'closed']),
    affectedCircuits: z.array(z.string()),
    impacts: impacts.describe("its incident's impacts: the priority and title come from them"),
    customers: z.array(z.string()),
    runbook: z.array(z.object({ step: z.number().int(), text: z.string() })),
    escalation: z.object({
      level: z.number().int().min(1).max(3),
      group: z.enum(['duty', 'implementation', 'leadership']),
      reason: z.string(),
    }),
    planned: z.boolean().describe('opened inside a planned-works window: pages nobody, not escalated'),
    journal: z
      .array(
        z.object({
          at: iso,
          by: z.string().describe('a person, or `ringguard` for the service'),
          action: z.enum(JOURNAL_ACTIONS),
          text: z.string().optional(),
        }),
      )
      .describe('every change and human action, in order'),
    createdAt: iso,
    updatedAt: iso,
    resolvedAt: iso.nullable(),
    ackBy: z.string().nullable(),
    closedBy: z.string().nullable(),
    ackAt: iso.nullable().describe('when it was acknowledged'),
    closeNote: z.string().nullable().optional().describe('the note given when it was closed'),
    language: z.enum(['zh-CN', 'en']).describe('language of title and runbook, from Accept-Language'),
    contacts: z.array(Contact).describe('who is on duty now for its escalation level (empty without a roster)'),
  })
  .meta({ id: 'Ticket' });

const ids = z.array(z.string()).optional();
export const Window = z
  .looseObject({
    id: z.string().describe('MW-n'),
    targets: z.object({ spans: ids, nodes: ids, sites: ids, circuits: ids, accessLinks: ids, equipment: ids }),
    from: iso,
    to: iso,
    reason: z.string(),
    by: z.string(),
    reference: z.string().nullable(),
    state: z.enum(['scheduled', 'active', 'ended']),
    circuitsAtRisk: z
      .array(z.string())
      .describe('circuits the works would take down (unprotected, or protection already failed)'),
  })
  .meta({ id: 'MaintenanceWindow' });

const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    cursor: z.string().nullable().describe('pass as `cursor` for the next page; null at the end'),
  });

/** What each status means, shown in /docs for every operation that can answer it. */
export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Invalid input: `error.message` names the failing field, `error.details` lists every one',
  401: 'No token, or an unknown one (only when RINGGUARD_API_TOKENS is set)',
  403: "The token's role may not do this",
  404: 'No such id',
  409: 'The current state does not allow it (the message says why)',
};

type DocResponse = { description: string; content: Record<string, { schema: z.ZodType }> };

/**
 * Documentation only (responses are written as they are): each status with its description,
 * as `application/json` unless a media type is given. `[text, schema]` overrides the 200 text.
 */
const doc = (r: Record<number, z.ZodType | [string, z.ZodType]>, mediaType = 'application/json') => {
  const out: Record<number, DocResponse> = {};
  for (const [status, v] of Object.entries(r)) {
    const [text, schema] = Array.isArray(v) ? v : [STATUS_TEXT[Number(status)] ?? 'Response', v];
    out[Number(status)] = { description: text, content: { [mediaType]: { schema } } };
  }
  return out as Record<number, unknown>;
};

const readErrors = { 401: errorBody, 403: errorBody };
const listErrors = { 400: errorBody, ...readErrors };
const oneErrors = { 404: errorBody, ...readErrors };
const commandErrors = { 400: errorBody, 404: errorBody, 409: errorBody, ...readErrors };

export const RESPONSES = {
  health: doc({
    200: [
      'Service status, version and component checks',
      z.object({
        status: z.enum(['ok', 'degraded']),
        version: z.string(),
        uptimeS: z.number(),
        checks: z
          .record(z.string(), z.object({ status: z.enum(['ok', 'degraded']) }).loose())
          .optional()
          .describe('receiver thread, store writer: each ok or degraded, with details'),
      }),
    ],
  }),
  unknownSenders: doc({
    200: [
      'Senders not in the topology',
      z.object({
        items: z.array(
          z
            .object({
              sender: z.string().describe('NE name in the notification, or the source address'),
              address: z.string(),
              count: z.number().int(),
              firstSeen: iso,
              lastSeen: iso,
            })
            .meta({ id: 'UnknownSender' }),
        ),
      }),
    ],
    ...readErrors,
  }),
  unmapped: doc({
    200: [
      'Notifications no mapping rule matched since start, per notification OID',
      z.object({
        items: z.array(
          z
            .object({
              trapOid: z
                .string()
                .describe('the notification OID (snmpTrapOID; SNMPv1 traps as RFC 3584 converts them)'),
              count: z.number().int(),
              firstSeen: iso,
              lastSeen: iso,
              sender: z.string().describe('source address of the latest one'),
              senders: z.array(z.string()).describe('distinct source addresses (the first 5)'),
              varbinds: z
                .array(
                  z.object({
                    oid: z.string(),
                    value: z.string().describe('as text; bytes that are not text as 0x-hex'),
                  }),
                )
                .describe('varbinds of the latest one, without sysUpTime.0 and snmpTrapOID.0'),
            })
            .meta({ id: 'UnmappedNotification' }),
        ),
      }),
    ],
    ...readErrors,
  }),
  alarms: doc({ 200: ['A page of alarms', page(Alarm)], ...listErrors }),
  incidents: doc({ 200: ['A page of incidents', page(Incident)], ...listErrors }),
  incident: doc({ 200: ['The incident with its alarms', Incident.extend({ alarms: z.array(Alarm) })], ...oneErrors }),
  circuits: doc({ 200: ['The circuits that match', z.object({ items: z.array(Circuit) })], ...listErrors }),
  circuit: doc({ 200: ['The circuit', Circuit], ...oneErrors }),
  switchover: doc({ 200: ['The circuit after the switchover', Circuit], ...commandErrors }),
  tickets: doc({
    200: [
      'With `since`: tickets changed after it, oldest change first (cursor: the SEQ to pass next). Without: a page of the list, newest first',
      z.union([
        z.object({ items: z.array(Ticket), cursor: z.number().int().describe('the SEQ to pass as `since` next') }),
        page(Ticket),
      ]),
    ],
    ...listErrors,
  }),
  ticket: doc({ 200: ['The ticket', Ticket], ...oneErrors }),
  ticketCommand: doc({ 200: ['The ticket after the change', Ticket], ...commandErrors }),
  topology: doc({
    200: [
      'The network with live status',
      z.object({
        network: z.string(),
        rings: z.array(z.unknown()),
        nodes: z.array(z.unknown()),
        spans: z.array(z.unknown()),
      }),
    ],
    ...readErrors,
  }),
  events: {
    ...doc(
      {
        200: [
          'A stream of `alarm`, `incident`, `circuit` and `ticket` events (data: the JSON object as in the other routes), `hello` first, and heartbeat comments',
          z.string(),
        ],
      },
      'text/event-stream',
    ),
    ...doc(readErrors),
  },
  metrics: doc({ 200: ['Prometheus text exposition format', z.string()] }, 'text/plain; version=0.0.4'),
  alarm: doc({ 200: ['The alarm with who acknowledged it', Alarm], ...commandErrors }),
  noted: doc({ 201: ['The ticket, the note last in its journal', Ticket], ...commandErrors }),
  window: doc({
    200: ['The planned works', Window],
    201: ['The planned works created, with the preview', Window],
    ...commandErrors,
  }),
  windows: doc({ 200: ['A page of planned works', page(Window)], ...listErrors }),
  preview: doc({
    200: [
      'What the cut would do to each circuit it touches',
      z.looseObject({
        circuitsAtRisk: z.array(z.string()),
        vip: z.array(z.string()),
        switched: z.array(z.string()),
        circuits: z.array(z.unknown()),
      }),
    ],
    ...listErrors,
  }),
};

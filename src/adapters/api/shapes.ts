// The response shapes of contract section 7, as zod schemas: they document the API in /docs
// (OpenAPI). Responses are not re-validated at run time; the API tests check the shapes.
import { z } from 'zod';
import { CIRCUIT_STATES, INCIDENT_KINDS } from '../../core/model.js';

const iso = z.string().describe('ISO 8601 UTC');
const errorBody = z.object({
  error: z.object({ code: z.enum(['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'INTERNAL']), message: z.string(), details: z.unknown().optional() }),
});

export const Alarm = z.looseObject({
  id: z.string(), node: z.string(), object: z.string().describe('PORT, PORT:CHANNEL or "" for the whole NE'),
  type: z.string().describe('canonical type (LOS, MS-RDI, …) or UNKNOWN:<name>'), vendorName: z.string(),
  severity: z.enum(['critical', 'major', 'minor', 'warning', 'indeterminate', 'cleared']),
  state: z.enum(['active', 'cleared']), raisedAt: iso, clearedAt: iso.nullable(), count: z.number().int(),
  incidentId: z.string().nullable(), suppressed: z.boolean(),
}).meta({ id: 'Alarm' });

export const Incident = z.looseObject({
  id: z.string(),
  kind: z.enum(INCIDENT_KINDS),
  state: z.enum(['open', 'cleared']), openedAt: iso, clearedAt: iso.nullable(),
  spans: z.array(z.string()), nodes: z.array(z.string()), sites: z.array(z.string()), accessLinks: z.array(z.string()), equipment: z.array(z.string()),
  rootAlarmIds: z.array(z.string()), alarmCount: z.number().int(), affectedCircuits: z.array(z.string()), ticketId: z.string().nullable(),
  mergedInto: z.string().nullable().describe('the incident this one was merged into (a partial reading of the same fault)'),
  awaitingCauseUntil: iso.nullable().describe('consequent alarms only, still unexplained: the ticket waits until then (orphan grace)'),
  detail: z.record(z.string(), z.unknown()),
}).meta({ id: 'Incident' });

export const Circuit = z.looseObject({
  id: z.string(), customer: z.string(), priority: z.enum(['vip', 'high', 'normal']), protection: z.enum(['ms-spring', 'sncp', 'none']),
  state: z.enum(CIRCUIT_STATES), activePath: z.enum(['working', 'protection']), protectionAvailable: z.boolean(),
  incidentIds: z.array(z.string()), confirmedBy: z.string().nullable(), workingRestored: z.boolean(), atRiskUntil: iso.nullable(),
}).meta({ id: 'Circuit' });

export const Ticket = z.looseObject({
  id: z.string(), seq: z.number().int(), incidentId: z.string(), kind: z.string(), title: z.string(),
  priority: z.enum(['P1', 'P2', 'P3', 'P4']), state: z.enum(['open', 'acknowledged', 'resolved', 'closed']),
  affectedCircuits: z.array(z.string()), customers: z.array(z.string()),
  runbook: z.array(z.object({ step: z.number().int(), text: z.string() })),
  escalation: z.object({ level: z.number().int().min(1).max(3), group: z.enum(['duty', 'implementation', 'leadership']), reason: z.string() }),
  createdAt: iso, updatedAt: iso, resolvedAt: iso.nullable(), ackBy: z.string().nullable(), closedBy: z.string().nullable(),
}).meta({ id: 'Ticket' });

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), cursor: z.string().nullable().describe('pass as `cursor` for the next page; null at the end') });

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/**
 * Documentation only: typed loosely so the handlers' return types are not narrowed by the
 * (open-ended) shapes above.
 */
const doc = (r: Record<number, z.ZodType>) => r as Record<number, z.ZodType<unknown>>;

export const RESPONSES = {
  health: doc({ 200: z.object({
    status: z.enum(['ok', 'degraded']), version: z.string(), uptimeS: z.number(),
    checks: z.record(z.string(), z.object({ status: z.enum(['ok', 'degraded']) }).loose()).optional().describe('receiver thread, store writer: each ok or degraded, with details'),
  }) }),
  unknownSenders: doc({ 200: z.object({ items: z.array(z.object({
    sender: z.string().describe('NE name in the notification, or the source address'), address: z.string(), count: z.number().int(), firstSeen: iso, lastSeen: iso,
  }).meta({ id: 'UnknownSender' })) }), ...errors }),
  alarms: doc({ 200: page(Alarm), ...errors }),
  incidents: doc({ 200: page(Incident), ...errors }),
  incident: doc({ 200: Incident.extend({ alarms: z.array(Alarm) }), ...errors }),
  circuits: doc({ 200: z.object({ items: z.array(Circuit) }), ...errors }),
  circuit: doc({ 200: Circuit, ...errors }),
  tickets: doc({ 200: z.object({ items: z.array(Ticket), cursor: z.number().int().describe('the SEQ to pass as `since` next') }), ...errors }),
  ticket: doc({ 200: Ticket, ...errors }),
  topology: doc({ 200: z.object({ network: z.string(), rings: z.array(z.unknown()), nodes: z.array(z.unknown()), spans: z.array(z.unknown()) }), ...errors }),
};

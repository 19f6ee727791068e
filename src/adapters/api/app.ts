// REST API (contract section 7). `buildApp(deps)` builds the fastify instance; `listen()` is
// the caller's. Every route validates params/query/body with zod; errors are coded JSON.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Observable } from 'rxjs';
import { z } from 'zod';
import type { AlarmView, CircuitView, IncidentView } from '../../core/model.js';
import { CIRCUIT_STATES, INCIDENT_KINDS, TICKET_PRIORITIES, TICKET_STATES } from '../../core/model.js';
import type { AckResult } from '../../core/alarms/acks.js';
import { limitConnections, type ConnectionStats } from './connections.js';
import { csvStream, wantsCsv } from './csv.js';
import { registerMaintenance, type MaintenanceDeps } from './maintenance.js';
import type { ConfirmResult } from '../../core/protection/engine.js';
import type { TicketResult } from '../../core/tickets/engine.js';
import type { TopologyGraph } from '../../core/topology/graph.js';
import type { Output } from '../../pipeline/pipeline.js';
import type { UnknownSender } from '../../pipeline/unknown-senders.js';
import type { Store } from '../store/sqlite.js';
import { TokenAuth, type Permission } from './auth.js';
import { registerDuty, withContacts, withoutRoster, type DutyDeps } from './duty.js';
import { registerTopologyReload, type TopologyDeps } from './topology-reload.js';
import { ApiError } from './errors.js';
import { Counter, Gauge } from 'prom-client';
import { EventStream, SSE_DEFAULTS, type Lang, type SseOptions } from './sse.js';
import type { Metrics } from './metrics.js';
import { registerPage } from './page.js';
import { registerUnmapped } from './unmapped.js';
import type { UnmappedNotification } from '../snmp/unmapped.js';
import { RESPONSES, STATUS_TEXT } from './shapes.js';
import { circuitRoute, liveTopology } from './topology-view.js';
import { ALARM_CSV, pickLang, publicAlarm, publicCircuit, publicIncident, publicTicket, ticketCsv } from './views.js';

export interface Commands {
  confirm(circuit: string, by: string, note: string | null, to?: 'working' | 'protection'): ConfirmResult;
  ack(ticket: string, by: string): TicketResult;
  close(ticket: string, by: string, note: string | null): TicketResult;
  /** A note appended to a ticket's journal. */
  note(ticket: string, by: string, text: string): TicketResult;
  ackAlarm(alarm: string, by: string): AckResult;
}

/** One pino line per human action: who, what, on what, from which address, with what outcome. */
export type AuditLog = (line: {
  audit: string;
  target: string;
  by: string | null;
  role: string | null;
  ip: string;
  status: number;
}) => void;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The human action a route performs, for the audit log. */
    audit?: string;
  }
  interface FastifyRequest {
    role: string | null;
  }
  interface FastifyInstance {
    /** Open, evicted and refused HTTP connections (connections.ts). */
    connections: ConnectionStats;
  }
}

export interface HealthCheck {
  status: 'ok' | 'degraded';
  [detail: string]: unknown;
}

export interface AppDeps {
  store: Store;
  graph: TopologyGraph;
  commands: Commands;
  events$: Observable<Output>;
  metrics: Metrics;
  auth: TokenAuth;
  version: string;
  uptimeS: () => number;
  /** Component checks (receiver thread, store); any not ok makes the service `degraded`. */
  health?: () => Record<string, HealthCheck>;
  /** NEs not in the topology that sent notifications (contract 2 §8). */
  unknownSenders?: () => UnknownSender[];
  /** Notifications no mapping rule matched (GET /api/v1/unmapped). */
  unmapped?: () => UnmappedNotification[];
  logger?: boolean | object;
  heartbeatMs?: number;
  /** Event stream limits (clients, per-client buffer, replay history). */
  sse?: Partial<SseOptions>;
  /** Roster and notifications (contract 2 §8). */
  duty?: DutyDeps;
  audit?: AuditLog;
  /** Planned works (contract 2 §8). */
  maintenance?: MaintenanceDeps;
  /** HTTP limits other than the defaults (tests). */
  http?: Partial<HttpLimits>;
  /** Topology reload (`POST /api/v1/topology/reload`, engineer). */
  topology?: TopologyDeps;
}

/** An empty query parameter (`?state=&priority=`) means "not given". */
const q = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);
/** A decimal integer in a query string (not `0x10`, `1e2`, ` 7` or `''`). */
const decimal = (schema: z.ZodNumber) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v),
    z.number({ error: 'must be a decimal integer' }).pipe(schema),
  );
const limit = q(decimal(z.number().int().min(1).max(1000)).default(100));
const cursor = q(z.string().regex(/^\d+$/, 'must be a cursor returned by the previous page').optional());
/** A person's name: 1-128 characters, no control characters. */
const nonEmpty = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .min(1, 'is required')
  .max(128, 'is longer than 128 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
/** Free text: up to 2,000 characters; line breaks and tabs allowed, no other control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const NO_CONTROL_CHARS = /^[^\x00-\x08\x0b-\x1f\x7f]*$/;
const note = z
  .string()
  .max(2000, 'is longer than 2000 characters')
  .regex(NO_CONTROL_CHARS, 'must not contain control characters');
/** ISO 8601 with a zone, normalised to UTC (how times are stored, so ranges compare as text). */
const isoTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

const S = {
  alarmsQuery: z.object({
    state: q(z.enum(['active', 'cleared', 'all']).default('all')),
    node: q(z.string().optional()),
    type: q(z.string().optional()),
    from: q(isoTime.optional()),
    to: q(isoTime.optional()),
    limit,
    cursor,
  }),
  incidentsQuery: z.object({ state: q(z.enum(['open', 'cleared', 'all']).default('all')), limit, cursor }),
  circuitsQuery: z.object({
    state: q(z.enum(CIRCUIT_STATES).optional()),
    priority: q(z.enum(['vip', 'high', 'normal']).optional()),
  }),
  idParam: z.object({ id: z.string().min(1) }),
  switchoverBody: z.object({
    confirmedBy: nonEmpty,
    note: note.optional(),
    to: z
      .enum(['working', 'protection'])
      .optional()
      .describe('the path to confirm the circuit on; default: the intact path it is not on'),
  }),
  ticketsQuery: z.object({
    since: q(
      decimal(z.number().int().min(0))
        .optional()
        .describe('the change feed: tickets changed after this SEQ, oldest change first'),
    ),
    state: q(z.enum(TICKET_STATES).optional()),
    priority: q(z.enum(TICKET_PRIORITIES).optional()),
    kind: q(z.enum(INCIDENT_KINDS).optional()),
    customer: q(z.string().optional()),
    from: q(isoTime.optional().describe('created at or after')),
    to: q(isoTime.optional().describe('created before')),
    limit,
    cursor,
  }),
  noteBody: z.object({
    by: nonEmpty,
    text: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(4000, 'is longer than 4000 characters')
      .regex(NO_CONTROL_CHARS, 'must not contain control characters'),
  }),
  ackBody: z.object({ by: nonEmpty }),
  closeBody: z.object({ by: nonEmpty, note: note.optional() }),
};

/**
 * HTTP limits: the whole request (headers and body) within 30 s, headers within 10 s (both
 * checked every second), bodies up to 64 KiB, idle keep-alive sockets closed after 5 s, at most
 * 2,000 connections (event streams included; beyond, the oldest idle socket is closed to make
 * room, see connections.ts).
 */
export const HTTP_LIMITS = {
  requestTimeout: 30_000,
  headersTimeoutMs: 10_000,
  bodyLimit: 64 * 1024,
  keepAliveTimeout: 5_000,
  maxParamLength: 200,
  maxConnections: 2_000,
  /** How often Node checks the request and header timeouts of open connections. */
  timeoutCheckMs: 1_000,
};
export type HttpLimits = typeof HTTP_LIMITS;

/** Tag, summary and operationId of a route in the OpenAPI document (/docs/json). */
const tagged = (tag: string, summary: string, operationId?: string) => ({
  tags: [tag],
  summary,
  ...(operationId ? { operationId } : {}),
});

/** Fastify's own client errors, said in the API's words (what is wrong and what to send). */
function clientErrorText(err: Error & { code?: string }, contentType: string | undefined): string {
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return `headers.content-type: ${contentType ?? 'none'} is not supported: send JSON with content-type: application/json`;
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return `body: larger than ${HTTP_LIMITS.bodyLimit / 1024} KiB`;
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) return `body: not valid JSON`;
  return err.message;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const limits = { ...HTTP_LIMITS, ...deps.http };
  const app = Fastify({
    logger: deps.logger ?? false,
    requestTimeout: limits.requestTimeout,
    bodyLimit: limits.bodyLimit,
    keepAliveTimeout: limits.keepAliveTimeout,
    http: { connectionsCheckingInterval: limits.timeoutCheckMs },
    routerOptions: { maxParamLength: limits.maxParamLength },
    // Fastify's own errors (a bad URL, a malformed request line or header) in the contract's shape.
    frameworkErrors: (err, _req, reply) =>
      (reply as unknown as FastifyReply).status(400).send(new ApiError('BAD_REQUEST', err.message).body()),
    clientErrorHandler: (err, socket) => {
      if (!socket.writable) return socket.destroy(err);
      const code = (err as { code?: string }).code;
      const why =
        code === 'HPE_HEADER_OVERFLOW'
          ? 'request header too large'
          : code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? 'request timed out'
            : 'malformed HTTP request';
      const body = JSON.stringify(new ApiError('BAD_REQUEST', why).body());
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  }).withTypeProvider<ZodTypeProvider>();
  // Slow or idle clients cannot hold sockets for ever, nor can 20,000 of them take REST down.
  app.server.headersTimeout = limits.headersTimeoutMs;
  const connections = limitConnections(
    app.server,
    limits.maxConnections,
    // Node's own header timeout answers 400 to a socket that sent part of a request; this closes silent ones.
    limits.headersTimeoutMs + 2 * limits.timeoutCheckMs,
  );
  app.decorate('connections', connections);
  app.addHook('preClose', async () => connections.closeIdle());
  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the API (/docs); responses are written as they are.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.setErrorHandler((err, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as { validationContext?: string }).validationContext ?? 'request';
      const details = err.validation.map((v) => ({
        field: `${where}${v.instancePath.replace(/\//g, '.')}`.replace(/\.$/, ''),
        // No body at all, or not an object: say what to send.
        message:
          where === 'body' && !v.instancePath.replace(/\//g, '') && /expected object/.test(v.message ?? '')
            ? 'a JSON object is required (content-type: application/json)'
            : v.message,
      }));
      const first = details[0];
      return reply.status(400).send(new ApiError('BAD_REQUEST', `${first.field}: ${first.message}`, details).body());
    }
    if (err instanceof ApiError) return reply.status(err.status).send(err.body());
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      // The contract's statuses: any other client error (unsupported media type, body too
      // large, bad JSON) is invalid input, 400.
      const code =
        status === 404
          ? 'NOT_FOUND'
          : status === 401
            ? 'UNAUTHORIZED'
            : status === 403
              ? 'FORBIDDEN'
              : status === 409
                ? 'CONFLICT'
                : 'BAD_REQUEST';
      const e = new ApiError(code, clientErrorText(err as Error & { code?: string }, req.headers['content-type']));
      return reply.status(e.status).send(e.body());
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send(new ApiError('INTERNAL', 'internal error').body());
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(new ApiError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`).body());
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'ringguard',
        version: deps.version,
        description: 'SDH ring alarm correlation, circuit protection and tickets (contract 1)',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: documented,
    transformObject: jsonSchemaTransformObject,
  });
  // Browsable documentation at /docs, the OpenAPI document at /docs/json (served from the
  // package, no CDN).
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('role', null);
  const need = (perm: Permission) => async (req: FastifyRequest) => {
    req.role = deps.auth.check(req.headers.authorization, perm);
  };
  app.addHook('onResponse', async (req, reply) => {
    const action = req.routeOptions.config?.audit;
    if (!action || !deps.audit) return;
    const body = (req.body ?? {}) as { by?: unknown; confirmedBy?: unknown };
    const by = typeof body.by === 'string' ? body.by : typeof body.confirmedBy === 'string' ? body.confirmedBy : null;
    const target = (req.params as { id?: string } | undefined)?.id ?? '';
    deps.audit({ audit: action, target, by, role: req.role, ip: req.ip, status: reply.statusCode });
  });
  const fail = (r: { ok: false; code: 'NOT_FOUND' | 'CONFLICT'; message: string }): never => {
    throw new ApiError(r.code, r.message);
  };
  const { store } = deps;

  // No token (contract 2 §7): probes call it. Always 200; `status` says whether all is well.
  app.get(
    '/api/v1/health',
    {
      schema: {
        ...tagged('service', 'Liveness, version and component checks (no token needed)', 'getHealth'),
        security: [],
        response: RESPONSES.health,
      },
    },
    async () => {
      const checks = deps.health?.() ?? {};
      const degraded = Object.values(checks).some((c) => c.status !== 'ok');
      return {
        status: degraded ? ('degraded' as const) : ('ok' as const),
        version: deps.version,
        uptimeS: Math.round(deps.uptimeS()),
        checks,
      };
    },
  );

  app.get(
    '/api/v1/whoami',
    {
      schema: tagged(
        'service',
        "The token's role and what it may do (the NOC page shows only the actions allowed)",
        'whoami',
      ),
    },
    async (req) => ({
      auth: deps.auth.enabled,
      ...deps.auth.whoami(req.headers.authorization),
    }),
  );

  app.get(
    '/api/v1/alarms',
    {
      schema: {
        ...tagged('alarms', 'Alarms, newest first; `Accept: text/csv` exports every match', 'listAlarms'),
        querystring: S.alarmsQuery,
        response: RESPONSES.alarms,
      },
      onRequest: need('read'),
    },
    async (req, reply) => {
      const q = req.query;
      const filter = { state: q.state, node: q.node, type: q.type, from: q.from, to: q.to };
      if (wantsCsv(req.headers.accept)) {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="alarms.csv"')
          .send(csvStream(store.export<AlarmView>('alarms', filter), ALARM_CSV));
      }
      const page = store.listAlarms({ ...filter, limit: q.limit, cursor: q.cursor ? Number(q.cursor) : undefined });
      return { items: page.items.map(publicAlarm), cursor: page.cursor };
    },
  );

  app.post(
    '/api/v1/alarms/:id/ack',
    {
      schema: {
        ...tagged('alarms', 'Acknowledge an alarm (409 when already acknowledged)', 'ackAlarm'),
        params: S.idParam,
        body: S.ackBody,
        response: RESPONSES.alarm,
      },
      onRequest: need('ack'),
      config: { audit: 'alarm.ack' },
    },
    async (req) => {
      const r = deps.commands.ackAlarm(req.params.id, req.body.by);
      if (!r.ok) return fail(r);
      return publicAlarm(r.alarm);
    },
  );

  app.get(
    '/api/v1/incidents',
    {
      schema: {
        ...tagged('incidents', 'Incidents, newest first', 'listIncidents'),
        querystring: S.incidentsQuery,
        response: RESPONSES.incidents,
      },
      onRequest: need('read'),
    },
    async (req) => {
      const q = req.query;
      const page = store.listIncidents({
        state: q.state,
        limit: q.limit,
        cursor: q.cursor ? Number(q.cursor) : undefined,
      });
      return { items: page.items.map(publicIncident), cursor: page.cursor };
    },
  );

  app.get(
    '/api/v1/incidents/:id',
    {
      schema: {
        ...tagged('incidents', 'One incident with its alarms', 'getIncident'),
        params: S.idParam,
        response: RESPONSES.incident,
      },
      onRequest: need('read'),
    },
    async (req) => {
      const inc = store.getIncident(req.params.id);
      if (!inc) throw new ApiError('NOT_FOUND', `incident "${req.params.id}" does not exist`);
      return { ...publicIncident(inc), alarms: store.alarmsOfIncident(inc.id).map(publicAlarm) };
    },
  );

  app.get(
    '/api/v1/circuits',
    {
      schema: {
        ...tagged('circuits', 'Circuits with their protection state', 'listCircuits'),
        querystring: S.circuitsQuery,
        response: RESPONSES.circuits,
      },
      onRequest: need('read'),
    },
    async (req) => {
      const items = store.listCircuits(req.query);
      return { items: items.map(publicCircuit) };
    },
  );

  app.get(
    '/api/v1/circuits/:id',
    {
      schema: { ...tagged('circuits', 'One circuit', 'getCircuit'), params: S.idParam, response: RESPONSES.circuit },
      onRequest: need('read'),
    },
    async (req) => {
      const c = store.getCircuit(req.params.id);
      if (!c) throw new ApiError('NOT_FOUND', `circuit "${req.params.id}" does not exist`);
      return { ...publicCircuit(c), route: circuitRoute(deps.graph, c.id) };
    },
  );

  app.post(
    '/api/v1/circuits/:id/switchover',
    {
      schema: {
        ...tagged(
          'circuits',
          'Confirm a switchover to `to` (switch-required/switch-failed -> the other path; on-protection with the working path restored -> working)',
          'switchoverCircuit',
        ),
        params: S.idParam,
        body: S.switchoverBody,
        response: RESPONSES.switchover,
      },
      onRequest: need('switchover'),
      config: { audit: 'circuit.switchover' },
    },
    async (req) => {
      const r = deps.commands.confirm(req.params.id, req.body.confirmedBy, req.body.note ?? null, req.body.to);
      if (!r.ok) return fail(r);
      return publicCircuit(r.circuit);
    },
  );

  app.get(
    '/api/v1/tickets',
    {
      schema: {
        ...tagged(
          'tickets',
          'With `since`: the change feed (tickets changed after SEQ, oldest change first). Without: the list, newest first, filtered; `Accept: text/csv` exports every match',
          'listTickets',
        ),
        querystring: S.ticketsQuery,
        response: RESPONSES.tickets,
      },
      onRequest: need('read'),
    },
    async (req, reply) => {
      const lang = pickLang(req.headers['accept-language']);
      const q = req.query;
      if (q.since !== undefined) {
        const items = store.ticketsSince(q.since, q.limit);
        return {
          items: items.map((t) => publicTicket(t as never, lang)),
          cursor: items.length ? items[items.length - 1].seq : q.since,
        };
      }
      const filter = {
        state: q.state,
        priority: q.priority,
        kind: q.kind,
        customer: q.customer,
        from: q.from,
        to: q.to,
      };
      if (wantsCsv(req.headers.accept)) {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="tickets.csv"')
          .send(csvStream(store.export<never>('tickets', filter), ticketCsv(lang)));
      }
      const page = store.listTickets({ ...filter, limit: q.limit, cursor: q.cursor ? Number(q.cursor) : undefined });
      return { items: page.items.map((t) => publicTicket(t as never, lang)), cursor: page.cursor };
    },
  );

  app.get(
    '/api/v1/tickets/:id',
    {
      schema: { ...tagged('tickets', 'One ticket', 'getTicket'), params: S.idParam, response: RESPONSES.ticket },
      onRequest: need('read'),
    },
    async (req) => {
      const t = store.getTicket(req.params.id);
      if (!t) throw new ApiError('NOT_FOUND', `ticket "${req.params.id}" does not exist`);
      return publicTicket(t as never, pickLang(req.headers['accept-language']));
    },
  );

  app.post(
    '/api/v1/tickets/:id/ack',
    {
      schema: {
        ...tagged(
          'tickets',
          'Acknowledge a ticket (409 when already acknowledged: the first acknowledger stays)',
          'ackTicket',
        ),
        params: S.idParam,
        body: S.ackBody,
        response: RESPONSES.ticketCommand,
      },
      onRequest: need('ack'),
      config: { audit: 'ticket.ack' },
    },
    async (req) => {
      const r = deps.commands.ack(req.params.id, req.body.by);
      if (!r.ok) return fail(r);
      return publicTicket(r.ticket as never, pickLang(req.headers['accept-language']));
    },
  );

  app.post(
    '/api/v1/tickets/:id/notes',
    {
      schema: {
        ...tagged('tickets', "Add a note to the ticket's journal", 'addTicketNote'),
        params: S.idParam,
        body: S.noteBody,
        response: RESPONSES.noted,
      },
      onRequest: need('note'),
      config: { audit: 'ticket.note' },
    },
    async (req, reply) => {
      const r = deps.commands.note(req.params.id, req.body.by, req.body.text);
      if (!r.ok) return fail(r);
      return reply.status(201).send(publicTicket(r.ticket as never, pickLang(req.headers['accept-language'])));
    },
  );

  app.post(
    '/api/v1/tickets/:id/close',
    {
      schema: {
        ...tagged('tickets', 'Close a resolved ticket', 'closeTicket'),
        params: S.idParam,
        body: S.closeBody,
        response: RESPONSES.ticketCommand,
      },
      onRequest: need('close'),
      config: { audit: 'ticket.close' },
    },
    async (req) => {
      const r = deps.commands.close(req.params.id, req.body.by, req.body.note ?? null);
      if (!r.ok) return fail(r);
      return publicTicket(r.ticket as never, pickLang(req.headers['accept-language']));
    },
  );

  const duty = deps.duty ?? withoutRoster(store);
  registerDuty(app, duty, need('read'));
  if (deps.topology) registerTopologyReload(app, deps.topology, need('reconfigure'));

  if (deps.maintenance) registerMaintenance(app, deps.maintenance, need);

  app.get(
    '/api/v1/topology',
    {
      schema: {
        ...tagged('topology', 'The network with live span/node status', 'getTopology'),
        response: RESPONSES.topology,
      },
      onRequest: need('read'),
    },
    async () => {
      const open: IncidentView[] = [];
      let c: string | null = null;
      do {
        const page = store.listIncidents({ state: 'open', limit: 1000, cursor: c ? Number(c) : undefined });
        open.push(...page.items);
        c = page.cursor;
      } while (c);
      return liveTopology(deps.graph, open);
    },
  );

  app.get(
    '/api/v1/unknown-senders',
    {
      schema: {
        ...tagged(
          'service',
          'NEs not in the topology that sent notifications (not correlated), most recent first',
          'listUnknownSenders',
        ),
        response: RESPONSES.unknownSenders,
      },
      onRequest: need('read'),
    },
    async () => ({
      items: deps.unknownSenders?.() ?? [],
    }),
  );

  registerUnmapped(app, deps.unmapped ?? (() => []), need('read'));

  // One broadcaster: each change serialised once, bounded per-client buffers, Last-Event-ID replay.
  const stream = new EventStream(
    deps.events$,
    (o) => [
      ...o.alarms.map((a) => ({ event: 'alarm', data: () => publicAlarm(a) })),
      ...o.incidents.map((i) => ({ event: 'incident', data: () => publicIncident(i) })),
      ...o.circuits.map((c) => ({ event: 'circuit', data: () => publicCircuit(c as CircuitView) })),
      // The same Ticket as REST, `contacts` included (who is on duty for its level when it changed).
      ...o.tickets.map((t) => ({
        event: 'ticket',
        data: (lang: Lang) => withContacts(duty, publicTicket(t, lang)),
        byLang: true,
      })),
    ],
    deps.version,
    { ...SSE_DEFAULTS, ...deps.sse, ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}) },
  );
  app.decorate('eventStream', stream);
  new Gauge({
    name: 'ringguard_sse_clients',
    help: 'event stream clients connected',
    registers: [deps.metrics.registry],
    collect() {
      this.set(stream.size);
    },
  });
  new Counter({
    name: 'ringguard_sse_dropped_total',
    help: 'event stream clients dropped (fell behind: told to resync) or refused (too many)',
    labelNames: ['reason'],
    registers: [deps.metrics.registry],
    collect() {
      this.reset();
      this.inc({ reason: 'slow' }, stream.stats.dropped);
      this.inc({ reason: 'refused' }, stream.stats.refused);
    },
  });
  app.addHook('preClose', async () => stream.close());
  app.get(
    '/api/v1/events',
    {
      schema: {
        ...tagged(
          'events',
          'Server-Sent Events: alarm, incident, circuit, ticket; `resync` when the client must reload (Last-Event-ID too old, or it fell behind)',
          'streamEvents',
        ),
        response: RESPONSES.events,
      },
      onRequest: need('read'),
    },
    async (req, reply) => {
      stream.open(req, reply, pickLang(req.headers['accept-language']));
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        ...tagged('service', 'Prometheus metrics (no token needed)', 'getMetrics'),
        security: [],
        response: RESPONSES.metrics,
      },
    },
    async (_req, reply) => {
      reply.header('content-type', deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  );

  await registerPage(app);
  return app;
}

/**
 * The zod transform, plus what every operation needs in /docs/json: an operationId for a route
 * that does not name one (from its method and path: `GET /api/v1/tickets/:id/notifications` ->
 * `getTicketsIdNotifications`), and a description for every response status.
 */
const documented: typeof jsonSchemaTransform = (doc) => {
  const out = jsonSchemaTransform(doc);
  const schema = out.schema as {
    hide?: boolean;
    operationId?: string;
    summary?: string;
    response?: Record<string, { description?: string; type?: string }>;
  };
  if (schema.hide) return out;
  if (!schema.operationId) {
    const words = doc.url
      .replace(/^\/api\/v1\//, '/')
      .split(/[/_-]/)
      .filter(Boolean)
      .map((w) => w.replace(/^:/, ''));
    const method = String(doc.route.method).toLowerCase();
    schema.operationId = method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  }
  schema.response ??= { 200: { type: 'object', description: schema.summary ?? 'OK' } };
  for (const [status, r] of Object.entries(schema.response))
    r.description ??= STATUS_TEXT[Number(status)] ?? 'Response';
  return out;
};

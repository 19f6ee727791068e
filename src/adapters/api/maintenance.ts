// Planned works routes (contract 2 §8): create (operator, engineer), list, one, end early,
// and the pre-flight preview of what a cut would take down.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WindowInput, WindowResult } from '../../core/maintenance/engine.js';
import { preview } from '../../core/maintenance/preview.js';
import { validateWindow, type Issue } from '../../core/maintenance/validate.js';
import {
  stateAt,
  fromView,
  TARGET_KINDS,
  WINDOW_STATES,
  type MaintenanceView,
  type Targets,
} from '../../core/maintenance/window.js';
import type { TopologyGraph } from '../../core/topology/graph.js';
import type { Store } from '../store/sqlite.js';
import type { Permission } from './auth.js';
import { ApiError } from './errors.js';
import { RESPONSES } from './shapes.js';

export interface MaintenanceDeps {
  store: Store;
  graph: TopologyGraph;
  now: () => number;
  maxMs: number;
  create(w: WindowInput): WindowResult;
  end(id: string, by: string): WindowResult;
}

type Need = (perm: Permission) => (req: FastifyRequest) => Promise<void>;

const q = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);
const nonEmpty = z.string().trim().min(1, 'is required');
const isoTime = z.iso.datetime({ offset: true });
const ids = z.array(z.string().min(1)).optional();
const list = q(z.string().optional()).transform((s) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined,
);

const S = {
  body: z.object({
    targets: z.strictObject({ spans: ids, nodes: ids, sites: ids, circuits: ids, accessLinks: ids, equipment: ids }),
    from: isoTime,
    to: isoTime,
    reason: nonEmpty.max(2000),
    by: nonEmpty,
    reference: z.string().max(200).nullable().optional(),
  }),
  list: z.object({
    state: q(z.enum(WINDOW_STATES).optional()),
    limit: q(z.coerce.number().int().min(1).max(1000).default(100)),
    cursor: q(z.string().regex(/^\d+$/, 'must be a cursor returned by the previous page').optional()),
  }),
  preview: z.object(
    Object.fromEntries(TARGET_KINDS.map((k) => [k, list])) as Record<(typeof TARGET_KINDS)[number], typeof list>,
  ),
  id: z.object({ id: z.string().min(1) }),
  end: z.object({ by: nonEmpty.optional() }).nullish(),
};

const badRequest = (issues: Issue[]): never => {
  throw new ApiError('BAD_REQUEST', `${issues[0].field}: ${issues[0].message}`, issues);
};

const tagged = (summary: string) => ({ tags: ['maintenance'], summary });

export function registerMaintenance(fastify: FastifyInstance, d: MaintenanceDeps, need: Need): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const shown = (v: MaintenanceView) => ({ ...v, state: stateAt(fromView(v), d.now()) });
  const circuit = (id: string) => d.store.getCircuit(id);

  app.post(
    '/api/v1/maintenance',
    {
      schema: {
        ...tagged('Schedule planned works (割接): alarms inside are recorded, their tickets page nobody'),
        body: S.body,
        response: RESPONSES.window,
      },
      onRequest: need('maintain'),
      config: { audit: 'maintenance.create' },
    },
    async (req, reply) => {
      const b = req.body;
      const w = { targets: b.targets as Targets, from: Date.parse(b.from), to: Date.parse(b.to) };
      const issues = validateWindow(d.graph, w, d.maxMs, 'body');
      if (!issues.length && w.to <= d.now()) issues.push({ field: 'body.to', message: 'is in the past' });
      if (issues.length) badRequest(issues);
      const r = d.create({ ...w, reason: b.reason, by: b.by, reference: b.reference ?? null });
      if (!r.ok) throw new ApiError(r.code, r.message);
      const p = preview(d.graph, w.targets, circuit);
      return reply
        .status(201)
        .send({ ...r.window, preview: { vip: p.vip, switched: p.switched, circuits: p.circuits } });
    },
  );

  app.get(
    '/api/v1/maintenance',
    {
      schema: {
        ...tagged('Planned works, newest first; state scheduled (upcoming), active or ended (past)'),
        querystring: S.list,
        response: RESPONSES.windows,
      },
      onRequest: need('read'),
    },
    async (req) => {
      const page = d.store.listWindows({
        state: req.query.state,
        now: d.now(),
        limit: req.query.limit,
        cursor: req.query.cursor ? Number(req.query.cursor) : undefined,
      });
      return { items: page.items.map(shown), cursor: page.cursor };
    },
  );

  app.get(
    '/api/v1/maintenance/preview',
    {
      schema: {
        ...tagged(
          'Pre-flight check: the circuits a cut of these resources would take down (and the VIP ones), and those that would switch',
        ),
        querystring: S.preview,
        response: RESPONSES.preview,
      },
      onRequest: need('read'),
    },
    async (req) => {
      const targets = req.query as Targets;
      const issues = validateWindow(d.graph, { targets, from: 0, to: 1 }, Infinity, 'querystring').map((i) => ({
        ...i,
        field: i.field.replace('querystring.targets', 'querystring'),
      }));
      if (issues.length) badRequest(issues);
      return { targets, ...preview(d.graph, targets, circuit) };
    },
  );

  app.get(
    '/api/v1/maintenance/:id',
    {
      schema: {
        ...tagged('One planned works window, with its report once ended'),
        params: S.id,
        response: RESPONSES.window,
      },
      onRequest: need('read'),
    },
    async (req) => {
      const v = d.store.getWindow(req.params.id);
      if (!v) throw new ApiError('NOT_FOUND', `planned works "${req.params.id}" do not exist`);
      return shown(v);
    },
  );

  app.delete(
    '/api/v1/maintenance/:id',
    {
      schema: {
        ...tagged('End planned works now; open incidents under it become normal at once'),
        params: S.id,
        body: S.end,
        response: RESPONSES.window,
      },
      onRequest: need('maintain'),
      config: { audit: 'maintenance.end' },
    },
    async (req) => {
      const r = d.end(req.params.id, req.body?.by ?? (req as { role?: string | null }).role ?? 'unknown');
      if (!r.ok) throw new ApiError(r.code, r.message);
      return r.window;
    },
  );
}

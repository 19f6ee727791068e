// `POST /api/v1/topology/reload` (engineer): reads the topology file again and swaps it in,
// keeping alarms, incidents, circuit states and tickets; a bad file changes nothing (400, one
// line per problem).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReloadResult } from '../../topology-reload.js';
import { ApiError } from './errors.js';

export interface TopologyDeps {
  reload(): ReloadResult;
}

const Ids = z.object({
  nodes: z.array(z.string()),
  spans: z.array(z.string()),
  rings: z.array(z.string()),
  circuits: z.array(z.string()),
  accessLinks: z.array(z.string()),
  equipment: z.array(z.string()),
  sites: z.array(z.string()),
});
const Reloaded = z
  .object({
    summary: z.string().describe('the one-line summary of `topology check`'),
    added: Ids.describe('ids the new file adds'),
    removed: Ids.describe(
      'ids the new file drops; alarms of removed nodes/equipment are cleared, removed circuits leave the circuit list',
    ),
  })
  .meta({ id: 'TopologyReload' });

export function registerTopologyReload(
  app: FastifyInstance,
  deps: TopologyDeps,
  need: (req: FastifyRequest) => Promise<void>,
): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/topology/reload',
    {
      schema: {
        tags: ['topology'],
        operationId: 'reloadTopology',
        summary: 'Read the topology file again and swap it in (state of what still exists is kept)',
        response: { 200: Reloaded },
      },
      config: { audit: 'topology-reload' },
      onRequest: need,
    },
    async () => {
      const r = deps.reload();
      if (!r.ok) throw new ApiError('BAD_REQUEST', r.problems.join('\n'), { problems: r.problems });
      return { summary: r.summary, added: r.added, removed: r.removed };
    },
  );
}

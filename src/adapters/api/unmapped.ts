// `GET /api/v1/unmapped`: notifications no mapping rule matched, per notification OID, with a
// sample of their varbinds: what is needed to write a rule (docs/mapping-rules.md).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { UnmappedNotification } from '../snmp/unmapped.js';
import { RESPONSES } from './shapes.js';

export function registerUnmapped(
  app: FastifyInstance,
  list: () => UnmappedNotification[],
  read: (req: FastifyRequest) => Promise<void>,
): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/unmapped',
    {
      schema: {
        tags: ['service'],
        operationId: 'listUnmapped',
        summary: 'Notifications no mapping rule matched, per OID, most recent first (at most 256 OIDs)',
        response: RESPONSES.unmapped,
      },
      onRequest: read,
    },
    async () => ({ items: list() }),
  );
}

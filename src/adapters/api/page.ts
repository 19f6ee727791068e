// The NOC page at `/`: static files built into dist/web (src/web, compiled by `npm run build`).
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';

/** The project root from both src/adapters/api and dist/adapters/api. */
const WEB = new URL('../../../dist/web/', import.meta.url).pathname;

export async function registerPage(app: FastifyInstance): Promise<void> {
  if (!existsSync(WEB + 'index.html')) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('ringguard: the NOC page is not built (run npm run build). API: /api/v1, docs: /docs\n'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: WEB, prefix: '/ui/', index: false, cacheControl: true, maxAge: 60_000 });
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.sendFile('index.html', WEB));
}

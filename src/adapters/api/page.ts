// The page at `/`: a plain landing page that points at the API (the live NOC page is issue 8).
import type { FastifyInstance } from 'fastify';

const HTML = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>ringguard</title></head>
<body><h1>ringguard</h1><ul>
<li><a href="/api/v1/incidents?state=open">/api/v1/incidents?state=open</a></li>
<li><a href="/api/v1/circuits">/api/v1/circuits</a></li>
<li><a href="/api/v1/tickets">/api/v1/tickets</a></li>
<li><a href="/api/v1/topology">/api/v1/topology</a></li>
<li><a href="/docs">/docs</a> (OpenAPI)</li><li><a href="/metrics">/metrics</a></li></ul></body></html>`;

export async function registerPage(app: FastifyInstance): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(HTML));
}

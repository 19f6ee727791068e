// Writes docs/metrics.md from the registry of a service started on the demo network (run after
// `npm run build`): the metrics `GET /metrics` serves, with their types, labels and help.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { renderMetricsDocs } from '../dist/adapters/api/metrics-docs.js';
import { resolveConfig } from '../dist/cli/config.js';
import { startService } from '../dist/service.js';

const dir = mkdtempSync(join(tmpdir(), 'rg-metrics-docs-'));
const cfg = resolveConfig({ db: join(dir, 'rg.db'), httpPort: '0', trapPort: '0', demo: undefined }, {}, undefined, {
  demo: true,
});
const svc = await startService(cfg, pino({ level: 'silent' }), {});
const file = new URL('../docs/metrics.md', import.meta.url);
writeFileSync(file, renderMetricsDocs(svc.metrics));
await svc.stop();
rmSync(dir, { recursive: true, force: true });
console.log(`wrote ${file.pathname}`);

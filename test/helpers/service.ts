// The service started in-process on the demo network, as tests need it: a fresh database in a
// temp folder, free ports, a short hold-down, a silent logger. `flags` add or override options.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { resolveConfig } from '../../src/cli/config.js';
import { startService, type Service } from '../../src/service.js';
import { freeTcpPort, freeUdpPort } from './env.js';
import { DEMO } from './harness.js';

/** `flags.db` reuses a database (a restart); else a new one in a temp folder. */
export async function startOnDemo(flags: Record<string, string> = {}): Promise<Service & { db: string }> {
  const db = flags.db ?? join(mkdtempSync(join(tmpdir(), 'rg-svc-')), 'rg.db');
  const cfg = resolveConfig(
    {
      db,
      httpPort: String(await freeTcpPort()),
      trapPort: String(await freeUdpPort()),
      holdDownMs: '200',
      topology: DEMO,
      ...flags,
    },
    {},
  );
  return Object.assign(await startService(cfg, pino({ level: 'silent' }), {}), { db });
}

// Regenerates the README's screenshots of the NOC page (docs/noc-*.png) from the browser tests:
// the same drills, the same assertions, at 1600 px, 1280×720 and 390 px.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
const root = new URL('../', import.meta.url).pathname;
mkdirSync(`${root}docs`, { recursive: true });
const r = spawnSync(process.execPath, [`${root}node_modules/vitest/vitest.mjs`, 'run', 'test/web-browser.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, RINGGUARD_SCREENSHOTS: 'docs' },
});
process.exit(r.status ?? 1);

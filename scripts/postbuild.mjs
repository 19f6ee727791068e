// After tsc: mark the CLI executable (so `npx ringguard` works right after `npm ci`) and copy
// the NOC page's static files next to its compiled script.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
const root = new URL('../', import.meta.url);
const bin = new URL('dist/cli/index.js', root);
if (existsSync(bin)) chmodSync(bin, 0o755);
const web = new URL('src/web/', root);
const out = new URL('dist/web/', root);
mkdirSync(out, { recursive: true });
for (const f of readdirSync(web)) if (/\.(html|css|svg|png)$/.test(f)) copyFileSync(new URL(f, web), new URL(f, out));

// Marks the CLI entry executable so `npx ringguard` works right after `npm ci`.
import { chmodSync, existsSync } from 'node:fs';
const bin = new URL('../dist/cli/index.js', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);

// Writes docs/config.md from the config option table and schemas (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { renderConfigDocs } from '../dist/cli/config-docs.js';

const file = new URL('../docs/config.md', import.meta.url);
writeFileSync(file, renderConfigDocs());
console.log(`wrote ${file.pathname}`);

// Writes docs/alarms.md from the alarm catalogue (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { renderAlarmDocs } from '../dist/core/alarms/docs.js';

const file = new URL('../docs/alarms.md', import.meta.url);
writeFileSync(file, renderAlarmDocs());
console.log(`wrote ${file.pathname}`);

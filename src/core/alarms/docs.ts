// docs/alarms.md, rendered from the catalogue (scripts/gen-alarm-docs.mjs writes it; a test
// checks the file is current). Pure.
import { CATALOGUE, LAYERS, explainedByText, type AlarmTypeInfo } from './catalogue.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function renderAlarmDocs(): string {
  const out = [
    '# Alarm catalogue',
    '',
    '<!-- Generated from src/core/alarms/catalogue.ts by `npm run build && node scripts/gen-alarm-docs.mjs`. Do not edit. -->',
    '',
    'Every input (trap, inform, poll result) becomes alarms of these canonical types. A vendor',
    'name in the *aliases* column (Huawei OptiX/T2000 names first) or the canonical name itself',
    'maps to the type; any other name is kept as `UNKNOWN:<name>` and counted. *Role*: a',
    '`root` candidate may be the cause of an incident; a `consequent` alarm is passed on by a',
    'fault elsewhere (AIS forward, RDI backward, unreachability) and is suppressed into the',
    'incident that explains it. *Degrade* alarms mark a span `degraded`, never `cut`.',
    '',
  ];
  for (const layer of LAYERS) {
    const rows = (CATALOGUE as readonly AlarmTypeInfo[]).filter((c) => c.layer === layer);
    if (!rows.length) continue;
    out.push(
      `## ${layer}`,
      '',
      '| type | role | severity | aliases | meaning | explained by |',
      '|---|---|---|---|---|---|',
    );
    for (const c of rows) {
      const role = c.degrade ? `${c.role} (degrade)` : c.role;
      const aliases = c.aliases.map((a) => `\`${a}\``).join(', ') || '—';
      out.push(
        `| \`${c.type}\` | ${role} | ${c.severity} | ${aliases} | ${cell(c.meaning)} | ${cell(explainedByText(c))} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

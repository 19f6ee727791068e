// docs/metrics.md, rendered from the service's metric registry (scripts/gen-metrics-docs.mjs
// writes it from a started service; a test checks the file against a started service's registry).
import type { Registry } from 'prom-client';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

interface Family {
  name: string;
  help: string;
  type: string;
  labelNames: string[];
}

function families(registry: Registry): Family[] {
  return registry
    .getMetricsAsArray()
    .map((m) => {
      const o = m as unknown as { name: string; help: string; type: string; labelNames?: string[] };
      return { name: o.name, help: o.help, type: String(o.type), labelNames: [...(o.labelNames ?? [])] };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function table(rows: Family[]): string[] {
  return [
    '| metric | type | labels | meaning |',
    '|---|---|---|---|',
    ...rows.map(
      (f) =>
        `| \`${f.name}\` | ${f.type} | ${f.labelNames.map((l) => `\`${l}\``).join(', ') || '—'} | ${cell(f.help)} |`,
    ),
  ];
}

export function renderMetricsDocs(registry: Registry): string {
  const all = families(registry);
  const own = all.filter((f) => f.name.startsWith('ringguard_'));
  const std = all.filter((f) => !f.name.startsWith('ringguard_'));
  return [
    '# Metrics',
    '',
    '<!-- Generated from the registry of a started service by `npm run build && node scripts/gen-metrics-docs.mjs`. Do not edit. -->',
    '',
    '`GET /metrics` serves them in the Prometheus text format and needs no token, also when',
    '`RINGGUARD_API_TOKENS` is set (scrapers have none). Counters are read',
    'from the components at scrape time and never go back while the service runs (they start',
    'from 0 at each start). A labelled gauge exports every known label value, 0 when none, so a',
    'series drops to 0 instead of vanishing. A histogram is exported as `_bucket`, `_sum` and',
    '`_count`.',
    '',
    '## ringguard',
    '',
    ...table(own),
    '',
    '## Process and Node.js (standard names, from prom-client)',
    '',
    ...table(std),
    '',
  ].join('\n');
}

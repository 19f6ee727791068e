// docs/config.md and docs/metrics.md are generated; they must be current: every option, every
// config file key and every metric the service registers is documented as it is.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMetricsDocs } from '../src/adapters/api/metrics-docs.js';
import { renderConfigDocs } from '../src/cli/config-docs.js';
import { ROOT } from './helpers/serve.js';
import { startOnDemo } from './helpers/service.js';

const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

describe('generated docs are current', () => {
  it('docs/config.md (regenerate: npm run build && node scripts/gen-config-docs.mjs)', () => {
    expect(read('docs/config.md')).toBe(renderConfigDocs());
  });

  it('docs/config.md names every flag of serve and simulate as --help lists them', () => {
    const doc = read('docs/config.md');
    const cli = join(ROOT, 'dist/cli/index.js');
    for (const cmd of ['serve', 'simulate']) {
      const help = execFileSync(process.execPath, [cli, cmd, '--help'], { encoding: 'utf8' });
      const flags = [...help.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]).filter((f) => f !== '--help');
      expect(flags.length).toBeGreaterThan(5);
      for (const f of flags) expect(doc, `${cmd} ${f}`).toMatch(new RegExp('`' + f + '[ `]'));
    }
  });

  it('docs/metrics.md lists what a started service registers (regenerate: npm run build && node scripts/gen-metrics-docs.mjs)', async () => {
    const svc = await startOnDemo();
    try {
      const doc = read('docs/metrics.md');
      expect(doc).toBe(renderMetricsDocs(svc.metrics));
      // And what /metrics serves is what the document lists.
      const text = await (await fetch(`http://127.0.0.1:${svc.httpPort}/metrics`)).text();
      for (const [, name] of text.matchAll(/^# TYPE (\S+) /gm)) expect(doc).toContain(`| \`${name}\` |`);
    } finally {
      await svc.stop();
    }
  }, 60_000);

  it('the README links every document', () => {
    const readme = read('README.md');
    for (const f of ['topology', 'config', 'mapping-rules', 'metrics', 'alarms'])
      expect(readme).toContain(`(docs/${f}.md)`);
  });
});

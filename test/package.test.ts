// What `npm pack` ships: the built service and what it reads at run time, never the tests, the
// benchmarks or the test fixtures. Needs the build (`npm run build`), as land/CI do before tests.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/serve.js';

describe('npm pack contents', () => {
  const files = (): string[] => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
  };

  it('has the CLI, the service, its worker, the MIBs, rule files and the demo network; no tests or benchmarks', () => {
    const shipped = files();
    for (const f of [
      'dist/cli/index.js',
      'dist/service.js',
      'dist/adapters/snmp/receiver-worker.js',
      'dist/web/index.html',
      'mibs/RINGGUARD-SDH-ALARM-MIB.txt',
      'mibs/mappings.yaml',
      'mibs/huawei-t2000-nbi.yaml',
      'mibs/huawei-imap-nbi.yaml',
      'fixtures/demo-network.yaml',
      'fixtures/nbi/huawei-span-cut.yaml',
      'deploy/ringguard.example.yaml',
      'deploy/ringguard.service',
      'README.md',
      'package.json',
    ])
      expect(shipped, f).toContain(f);
    const unwanted = shipped.filter((f) =>
      /(^|\/)(test|src|bench|scenarios|networks)\/|\.(test|bench)\.|^node_modules\/|\.ts$/.test(f),
    );
    expect(unwanted).toEqual([]);
  }, 60_000);
});

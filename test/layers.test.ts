// The layers the README describes: the core is pure and the pipeline does not reach into the
// adapters (adapters depend on them, never the other way round).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src', import.meta.url).pathname;

/** Every `from '...'` of every non-bench .ts file under `dir`, as [file, specifier]. */
function imports(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.ts') || e.name.endsWith('.bench.ts')) continue;
    const file = join(e.parentPath, e.name);
    for (const m of readFileSync(file, 'utf8').matchAll(/\bfrom\s+'([^']+)'/g)) out.push([relative(SRC, file), m[1]]);
  }
  return out;
}

describe('layers', () => {
  it('the pipeline imports nothing from the adapters', () => {
    const bad = imports(join(SRC, 'pipeline')).filter(([, spec]) => /\/adapters\//.test(spec));
    expect(bad).toEqual([]);
  });

  it('the core imports no adapters, pipeline, service nor Node IO', () => {
    const bad = imports(join(SRC, 'core')).filter(([, spec]) =>
      /\/(adapters|pipeline|cli)\/|\/service\.js$|^node:/.test(spec),
    );
    expect(bad).toEqual([]);
  });
});

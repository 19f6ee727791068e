// The works file (`--maintenance FILE`, YAML): planned works scheduled ahead, loaded at start.
// Validated like the topology (every problem with its path); a window is identified by its
// `reference` (the change ticket), so loading the same file again adds nothing twice.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { WindowInput } from '../../core/maintenance/engine.js';
import { validateWindow } from '../../core/maintenance/validate.js';
import { TARGET_KINDS } from '../../core/maintenance/window.js';
import type { TopologyGraph } from '../../core/topology/graph.js';

const ids = z.array(z.string().min(1)).optional();
const time = z.union([z.iso.datetime({ offset: true }), z.date().transform((d) => d.toISOString())]);
const Works = z.strictObject({
  works: z
    .array(
      z.strictObject({
        reference: z.string().min(1),
        targets: z.strictObject(
          Object.fromEntries(TARGET_KINDS.map((k) => [k, ids])) as Record<(typeof TARGET_KINDS)[number], typeof ids>,
        ),
        from: time,
        to: time,
        reason: z.string().min(1),
        by: z.string().min(1),
      }),
    )
    .default([]),
});

export class WorksFileError extends Error {}

export function loadWorksFile(file: string, graph: TopologyGraph, maxMs: number): WindowInput[] {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new WorksFileError(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const r = Works.safeParse(doc ?? {});
  if (!r.success) {
    throw new WorksFileError(
      r.error.issues
        .map(
          (i) =>
            `${file}: ${i.path.map((p, k) => (typeof p === 'number' ? `[${p}]` : `${k ? '.' : ''}${String(p)}`)).join('')}: ${i.message}`,
        )
        .join('\n'),
    );
  }
  const out: WindowInput[] = [];
  const problems: string[] = [];
  r.data.works.forEach((w, i) => {
    const input = {
      targets: w.targets,
      from: Date.parse(w.from),
      to: Date.parse(w.to),
      reason: w.reason,
      by: w.by,
      reference: w.reference,
    };
    for (const p of validateWindow(graph, input, maxMs, `works[${i}]`))
      problems.push(`${file}: ${p.field}: ${p.message}`);
    out.push(input);
  });
  if (problems.length) throw new WorksFileError(problems.join('\n'));
  return out;
}

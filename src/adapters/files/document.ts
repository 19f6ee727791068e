// Reads a YAML or JSON document from disk; a failure is one `path: message` problem.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { TopologyProblem } from '../../core/topology/validate.js';

export type DocResult = { ok: true; doc: unknown } | { ok: false; problems: TopologyProblem[] };

export function readDocument(file: string): DocResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, problems: [{ path: file, message: `cannot read file: ${(e as Error).message}` }] };
  }
  const json = /\.json$/i.test(file);
  try {
    return { ok: true, doc: json ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 }) };
  } catch (e) {
    return { ok: false, problems: [{ path: file, message: `not valid ${json ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}` }] };
  }
}

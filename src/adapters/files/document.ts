// Reads a YAML or JSON document from disk; a failure is one `path: message` problem. A syntax
// error shows its line and column with the line itself and a caret under the spot.
import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load as loadYamlFast } from 'js-yaml';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { TopologyProblem } from '../../core/topology/validate.js';

export type DocResult = { ok: true; doc: unknown } | { ok: false; problems: TopologyProblem[] };

/**
 * `fast`: large files (a 48,000-circuit topology is 30 MB) are read with js-yaml, ~10x faster
 * than yaml's document model, with the same YAML 1.2 core schema. A file with anchors or
 * aliases (billion-laughs guard), or one js-yaml refuses, goes through yaml as before, so the
 * result and every error message are the same either way.
 */
export function readDocument(file: string, opts: { fast?: boolean } = {}): DocResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, problems: [{ path: file, message: `cannot read file: ${(e as Error).message}` }] };
  }
  const json = /\.json$/i.test(file);
  if (!json && opts.fast && !ANCHOR_OR_ALIAS.test(text)) {
    try {
      return { ok: true, doc: loadYamlFast(text, { schema: CORE_SCHEMA, filename: file }) ?? null };
    } catch {
      // fall through: yaml decides, and words the error
    }
  }
  try {
    return { ok: true, doc: json ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 }) };
  } catch (e) {
    return { ok: false, problems: [syntaxProblem(file, json ? 'JSON' : 'YAML', text, e as Error)] };
  }
}

/** `&anchor` or `*alias` where YAML would read one (a false hit only costs speed). */
const ANCHOR_OR_ALIAS = /(?:^|[\s,[{:-])[&*][^\s,\]}]/m;

/**
 * `file:LINE:COL: not valid YAML: what`, then the line and a caret. JSON.parse does not say
 * where on Node 20; the YAML parser (JSON is YAML) finds the spot.
 */
function syntaxProblem(file: string, kind: string, text: string, e: Error): TopologyProblem {
  let err: Error = e;
  if (!(e instanceof YAMLParseError)) {
    try {
      parseYaml(text);
    } catch (y) {
      if (y instanceof YAMLParseError) err = y;
    }
  }
  if (!(err instanceof YAMLParseError) || !err.linePos)
    return { path: file, message: `not valid ${kind}: ${e.message.split('\n')[0]}` };
  const { line, col } = err.linePos[0];
  const what = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const lines = text.split(/\r?\n/);
  // The line before gives context (an unclosed quote is only noticed where the next line starts).
  const frame = [lines[line - 2], lines[line - 1] ?? ''].filter((l) => l !== undefined).map((l) => `  ${l}`);
  return {
    path: `${file}:${line}:${col}`,
    message: `not valid ${kind}: ${what}\n${frame.join('\n')}\n  ${' '.repeat(Math.max(0, col - 1))}^`,
  };
}

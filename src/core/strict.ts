// Strict input checking shared by the topology, config and mapping-rule files: an unknown key
// is an error that names its path and suggests the nearest known key. Pure: no IO.
import type { z } from 'zod';

export interface KeyProblem {
  path: PropertyKey[];
  message: string;
}

/** Damerau-Levenshtein distance (a swapped pair of letters counts once: `stie` -> `site`). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Keys compare without case and separators: `http-prot` is near `httpPort`. */
const fold = (k: string) => k.replace(/[-_]/g, '').toLowerCase();

/** The known key nearest to `word`, when it is near enough to be a typo. */
export function didYouMean(word: string, known: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const dist = distance(fold(word), fold(k));
    if (dist < bestD) {
      best = k;
      bestD = dist;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(fold(word).length / 3)) ? best : null;
}

/** `unknown key (did you mean "site"?)`, the suggestion written in the style of the given key. */
export function unknownKeyMessage(key: string, known: Iterable<string>, what = 'key'): string {
  const near = didYouMean(key, known);
  return near
    ? `unknown ${what} (did you mean "${inStyleOf(key, near)}"?)`
    : `unknown ${what}; known: ${[...known].join(', ')}`;
}

/** `httpPort` written like `http-prot` is `http-port`; like `http_prot`, `http_port`. */
function inStyleOf(typed: string, key: string): string {
  const sep = typed.includes('-') ? '-' : typed.includes('_') ? '_' : null;
  return sep ? key.replace(/[A-Z]/g, (c) => sep + c.toLowerCase()) : key;
}

type Parsed<T> = { success: true; data: T } | { success: false; problems: KeyProblem[] };

/**
 * `schema.safeParse` where the schema's objects are `.strict()`: each unknown key becomes its
 * own problem at `path.key` with a suggestion; other issues keep zod's message.
 */
export function parseStrict<T>(schema: z.ZodType<T>, data: unknown): Parsed<T> {
  const knownAt = new Map<string, string[]>();
  const keyOf = (path: readonly PropertyKey[], keys: readonly string[]) => JSON.stringify([path.map(String), keys]);
  const r = schema.safeParse(data, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      const shape =
        (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape ?? {};
      knownAt.set(keyOf(iss.path ?? [], iss.keys), Object.keys(shape));
      return undefined;
    },
  });
  if (r.success) return { success: true, data: r.data };
  const problems: KeyProblem[] = [];
  for (const i of r.error.issues) {
    if (i.code !== 'unrecognized_keys') {
      problems.push({ path: i.path, message: i.message });
      continue;
    }
    const known = knownAt.get(keyOf(i.path, i.keys)) ?? [];
    for (const k of i.keys) problems.push({ path: [...i.path, k], message: unknownKeyMessage(k, known) });
  }
  return { success: false, problems };
}

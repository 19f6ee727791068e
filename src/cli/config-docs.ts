// docs/config.md, rendered from the option table and the zod schemas of the config file's
// sections (scripts/gen-config-docs.mjs writes it; a test checks the file is current).
import { z } from 'zod';
import { NotifyConfigSchema } from '../core/notify/config.js';
import { EmsConfigSchema, OPTION_SPECS, SnmpConfigSchema, envName, flagName } from './config.js';

type Json = {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  oneOf?: Json[];
  anyOf?: Json[];
  additionalProperties?: Json | boolean;
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (v: unknown) => `\`${typeof v === 'string' && v !== '' ? v : JSON.stringify(v)}\``;

function typeOf(j: Json): string {
  if (j.enum) return j.enum.map((e) => String(e)).join(' | ');
  if (j.const !== undefined) return String(j.const);
  if (j.type === 'array') return `list of ${j.items ? typeOf(j.items) : 'any'}`;
  if (j.type === 'object' && j.additionalProperties && typeof j.additionalProperties === 'object')
    return `map of ${typeOf(j.additionalProperties)}`;
  if (j.type === 'integer') {
    const max = j.maximum !== undefined && j.maximum < Number.MAX_SAFE_INTEGER ? `..${j.maximum}` : '';
    return j.minimum !== undefined ? `integer ≥ ${j.minimum}${max && ` ≤ ${j.maximum}`}` : 'integer';
  }
  return j.type ?? (j.oneOf || j.anyOf ? 'one of below' : 'any');
}

/** One row per key, nested objects and list items as `a.b` / `a[].b`; variants of a union by their `type`. */
function rows(j: Json, path: string, required: boolean, out: string[]): void {
  if (path) {
    const def = j.default !== undefined ? code(j.default) : required ? 'required' : '—';
    out.push(`| \`${path}\` | ${cell(typeOf(j))} | ${def} | ${cell(j.description ?? '')} |`);
  }
  const target = j.type === 'array' ? j.items : j;
  const base = j.type === 'array' ? `${path}[]` : path;
  const join = (at: string, k: string) => (at ? `${at}.${k}` : k);
  if (!target) return;
  for (const v of target.oneOf ?? target.anyOf ?? [target]) {
    const kind = v.properties?.type?.const;
    const at = kind !== undefined ? `${base}(type: ${String(kind)})` : base;
    for (const [k, p] of Object.entries(v.properties ?? {}))
      rows(p, join(at, k), v.required?.includes(k) ?? false, out);
  }
}

function section(name: string, schema: z.ZodType, intro: string): string[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  const out = [`## \`${name}:\``, '', intro, '', '| key | type | default | meaning |', '|---|---|---|---|'];
  const body: string[] = [];
  rows(json, '', false, body);
  return [...out, ...body.map((r) => r.replace('| `', `| \`${name}.`)), ''];
}

function optionRows(): string[] {
  return Object.entries(OPTION_SPECS).map(([name, spec]) => {
    const file = flagName(name).slice(2);
    const def = spec.default === null ? '—' : code(spec.default);
    return `| \`${spec.flag}\` | \`${envName(name)}\` | \`${file}\` | ${def} | ${cell(spec.help)} |`;
  });
}

export function renderConfigDocs(): string {
  return [
    '# Configuration',
    '',
    '<!-- Generated from src/cli/config.ts and the config schemas by `npm run build && node scripts/gen-config-docs.mjs`. Do not edit. -->',
    '',
    '`ringguard serve [options]`. Each option is a flag, an environment variable and a key of the',
    'YAML file given by `--config FILE` (or `RINGGUARD_CONFIG`). Precedence: flag > environment >',
    'file > default. File keys may be written `http-port`, `httpPort` or `http_port`. An unknown key',
    'stops the start with its path and a suggestion; `ringguard config check FILE` checks a file and',
    'every file it names without starting anything. A bad value stops the start with one line naming',
    'where it came from, exit code 2. Numbers are decimal integers. In the file, relative paths',
    "(`topology`, `db`, `mappings`, `roster`) are relative to the file's folder, and so is the",
    'default database. Every key, commented: `deploy/ringguard.example.yaml`.',
    '',
    '## Options',
    '',
    '| flag | environment | file key | default | meaning |',
    '|---|---|---|---|---|',
    ...optionRows(),
    '| `--config <file>` | `RINGGUARD_CONFIG` | — | — | the YAML config file |',
    '| `--demo` | — | — | — | run the built-in demo network (needed outside the source tree when no topology is given) |',
    '',
    'Without a topology (flag, environment or file) the service runs the demo network only from the',
    'source tree; anywhere else it stops and asks for `--topology FILE` or `--demo`.',
    '',
    '## Environment only',
    '',
    '| variable | meaning |',
    '|---|---|',
    '| `RINGGUARD_API_TOKENS` | `role:token,role:token` (roles `viewer`, `integration`, `operator`, `engineer`); unset: no auth (a warning when the HTTP host is not loopback) |',
    '| `RINGGUARD_CONFIG` | the config file, when `--config` is not given |',
    '',
    'The sections below exist only in the config file.',
    '',
    ...section('snmp', SnmpConfigSchema, 'SNMP security and the trap socket.'),
    ...section('ems', EmsConfigSchema, 'EMS northbound interfaces (README, "Connect an EMS").'),
    ...section(
      'notify',
      NotifyConfigSchema,
      'Who gets told (README, "Who gets told"). `receivers[](type: X)` rows are the keys of a receiver of that type.',
    ),
    '## Other commands',
    '',
    '- `ringguard --version`: prints the version.',
    '- `ringguard topology check FILE`, `ringguard config check FILE`, `ringguard roster check FILE`:',
    '  check a file, one line per problem, exit 0 or 1.',
    '- `ringguard simulate SCENARIO --target HOST:PORT`: sends a scenario as real SNMP traps; its',
    '  flags, explained by `ringguard simulate --help`: `--list`, `--target`, `--topology`, `--rate`,',
    '  `--duration`, `--community`, `--inform`, `--no-switch`, `--span`, `--vendor`, `--layout`,',
    '  `--replay`, `--api` (token in `RINGGUARD_API_TOKEN`), `--hold-down-ms`, `--switch-timeout-ms`,',
    '  `--wtr-ms`.',
    '',
  ].join('\n');
}

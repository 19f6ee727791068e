// Service configuration: flag > env RINGGUARD_<NAME> > --config YAML file > default.
// Validated with zod; a bad value is one clear line.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readDocument } from '../adapters/files/document.js';
import { NotifyConfigSchema, type NotifyConfig } from '../core/notify/config.js';
import { parseStrict, unknownKeyMessage } from '../core/strict.js';
import { formatPath, formatProblem } from '../core/topology/validate.js';

/** The demo network shipped with the package (`--demo`), wherever the package is installed. */
export const DEMO_TOPOLOGY = fileURLToPath(new URL('../../fixtures/demo-network.yaml', import.meta.url));

/** Decimal integers only: `''`, `0x10`, `1e2`, `+5` are refused (a YAML number passes as is). */
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\d{1,15}$/.test(v.trim()) ? Number(v) : v),
    // Piped, so only a non-number gets this message; a number out of range says so (zod's own).
    z.number({ error: 'must be a decimal integer' }).pipe(z.number().int().min(min).max(max)),
  );

export const OPTION_SPECS = {
  topology: {
    flag: '--topology <file>',
    default: 'fixtures/demo-network.yaml',
    help: 'network model (YAML or JSON)',
    schema: z.string().min(1),
  },
  db: {
    flag: '--db <file>',
    default: 'data/ringguard.db',
    help: 'SQLite database (created with its folder)',
    schema: z.string().min(1),
  },
  trapHost: {
    flag: '--trap-host <addr>',
    default: '127.0.0.1',
    help: 'UDP address for traps and informs',
    schema: z.string().min(1),
  },
  trapPort: { flag: '--trap-port <n>', default: 1162, help: 'UDP port (162 needs root)', schema: int(0, 65535) },
  httpHost: { flag: '--http-host <addr>', default: '127.0.0.1', help: 'REST API address', schema: z.string().min(1) },
  httpPort: {
    flag: '--http-port <n>',
    default: 8080,
    help: 'REST API port; 0 picks a free port',
    schema: int(0, 65535),
  },
  holdDownMs: { flag: '--hold-down-ms <n>', default: 2500, help: 'correlation window', schema: int(0) },
  orphanGraceMs: {
    flag: '--orphan-grace-ms <n>',
    default: null,
    help: 'an incident of consequent alarms only opens its ticket once still unexplained after this (default 3 × hold-down)',
    schema: int(0).nullable(),
  },
  switchTimeoutMs: {
    flag: '--switch-timeout-ms <n>',
    default: 10000,
    help: 'switch-required -> switch-failed after this',
    schema: int(0),
  },
  wtrMs: { flag: '--wtr-ms <n>', default: 300000, help: 'wait-to-restore for revertive protection', schema: int(0) },
  pollIntervalMs: {
    flag: '--poll-interval-ms <n>',
    default: 30000,
    help: 'poller period per managed node',
    schema: int(100),
  },
  pollMisses: { flag: '--poll-misses <n>', default: 3, help: 'failed polls that raise NE-UNREACHABLE', schema: int(1) },
  escalateAfterMs: {
    flag: '--escalate-after-ms <n>',
    default: 900000,
    help: 'unacknowledged ticket rises a level after this',
    schema: int(1),
  },
  maintenance: {
    flag: '--maintenance <file>',
    default: null,
    help: 'planned works scheduled ahead (YAML), loaded at start',
    schema: z.string().min(1).nullable(),
  },
  maintenanceMaxMs: {
    flag: '--maintenance-max-ms <n>',
    default: 86400000,
    help: 'longest planned-works window accepted',
    schema: int(60000),
  },
  mappings: {
    flag: '--mappings <file>',
    default: null,
    help: 'extra trap-to-alarm mapping rules (YAML)',
    schema: z.string().min(1).nullable(),
  },
  roster: {
    flag: '--roster <file>',
    default: null,
    help: 'who is on duty: people, groups, rota (YAML)',
    schema: z.string().min(1).nullable(),
  },
  logLevel: {
    flag: '--log-level <level>',
    default: 'info',
    help: 'pino level',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  },
} as const;

export type OptionName = keyof typeof OPTION_SPECS;

const UserSchema = z
  .object({
    name: z.string().min(1).describe('USM user name'),
    authProtocol: z
      .enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'])
      .optional()
      .describe('default sha (with authKey)'),
    authKey: z.string().min(8).optional().describe('given: authNoPriv at least'),
    privProtocol: z.enum(['des', 'aes', 'aes256b', 'aes256r']).optional().describe('default aes (with privKey)'),
    privKey: z.string().min(8).optional().describe('given: authPriv'),
  })
  .strict();
export type SnmpUser = z.infer<typeof UserSchema>;

export const SnmpConfigSchema = z
  .object({
    communities: z.array(z.string().min(1)).default(['public']).describe('v1/v2c communities accepted'),
    users: z.array(UserSchema).default([]).describe('SNMPv3 USM users accepted (traps and informs)'),
    recvBufferBytes: z.coerce
      .number()
      .int()
      .min(65536)
      .default(32 * 1024 * 1024)
      .describe('receive buffer asked of the kernel for the trap socket (capped by net.core.rmem_max)'),
  })
  .strict();

/** EMS northbound interfaces (config file `ems:`): keepalive watch, NE name map, known EMSes. */
export const EmsConfigSchema = z
  .object({
    keepaliveMs: z.coerce
      .number()
      .int()
      .min(100)
      .default(60_000)
      .describe("expected NBI keepalive period; an iMAP heartbeat's own period wins"),
    keepaliveMisses: z.coerce
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('keepalive periods without one before EMS-LINK-DOWN'),
    names: z
      .record(z.string(), z.string().min(1))
      .default({})
      .describe('EMS NE name -> topology node id, for NEs the EMS names differently'),
    systems: z
      .array(
        z
          .object({
            id: z.string().min(1).describe("the EMS's id (node of its EMS-LINK-DOWN)"),
            host: z.string().min(1).describe('address its traps come from (and its NBI agent)'),
            nodes: z
              .array(z.string().min(1))
              .default([])
              .describe('NEs its resync reconciles, besides those it reported'),
            agent: z
              .object({
                port: z.coerce.number().int().min(1).max(65535).default(161).describe('NBI agent udp port'),
                community: z.string().min(1).default('private').describe('community for the SET'),
                layout: z.enum(['v1', 'imap']).default('v1').describe('which command object to SET'),
                value: z.string().default('').describe("value written (from the EMS's NBI guide)"),
              })
              .strict()
              .optional()
              .describe(
                "the EMS's NBI agent: asked for an alarm synchronisation (SNMP SET) at start, after a link loss and after a serial gap",
              ),
          })
          .strict(),
      )
      .default([])
      .describe('known EMSes, watched from the start'),
  })
  .strict();
export type EmsConfig = z.infer<typeof EmsConfigSchema>;

export interface Config {
  topology: string;
  db: string;
  trapHost: string;
  trapPort: number;
  httpHost: string;
  httpPort: number;
  holdDownMs: number;
  /** null: 3 × hold-down. */
  orphanGraceMs: number | null;
  switchTimeoutMs: number;
  wtrMs: number;
  pollIntervalMs: number;
  pollMisses: number;
  escalateAfterMs: number;
  maintenance: string | null;
  maintenanceMaxMs: number;
  mappings: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  snmp: z.infer<typeof SnmpConfigSchema>;
  roster: string | null;
  notify: NotifyConfig;
  /** Folder of the config file (a relative `roster` path may be relative to it). */
  configDir?: string;
  ems: EmsConfig;
}

export class ConfigError extends Error {}

const envName = (k: string) => 'RINGGUARD_' + k.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
const flagName = (k: string) => '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
/** Config file keys may be camelCase, kebab-case or snake_case. */
const norm = (k: string) => k.replace(/[-_]/g, '').toLowerCase();

/** Options that name files: written in the config file, a relative path is relative to the file's folder. */
const PATH_OPTIONS = new Set<string>(['topology', 'db', 'mappings', 'roster']);
/** Sections of the config file beside the options. */
const SECTIONS = { snmp: SnmpConfigSchema, notify: NotifyConfigSchema, ems: EmsConfigSchema } as const;

/** The config file as a mapping; a syntax error or an unknown key is a ConfigError naming the spot. */
function readConfigFile(configFile: string): Record<string, unknown> {
  const d = readDocument(configFile);
  if (!d.ok) {
    const p = d.problems[0];
    throw new ConfigError(
      p.message.startsWith('cannot read')
        ? `--config: ${p.message.replace('file', configFile)}`
        : d.problems.map(formatProblem).join('\n'),
    );
  }
  if (d.doc != null && (typeof d.doc !== 'object' || Array.isArray(d.doc)))
    throw new ConfigError(`${configFile}: expected a mapping of options`);
  const file = (d.doc ?? {}) as Record<string, unknown>;
  const known = [...Object.keys(OPTION_SPECS), ...Object.keys(SECTIONS)];
  const problems = Object.keys(file)
    .filter((k) => !known.some((n) => norm(n) === norm(k)))
    .map((k) => `${configFile}: ${k}: ${unknownKeyMessage(k, known)}`);
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return file;
}

export function resolveConfig(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  configFile?: string,
  opts: { demo?: boolean; cwd?: string } = {},
): Config {
  const file = configFile ? readConfigFile(configFile) : {};
  const configDir = configFile ? dirname(resolve(configFile)) : undefined;
  const fileByNorm = new Map(Object.entries(file).map(([k, v]) => [norm(k), { k, v }]));
  const out: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const [name, spec] of Object.entries(OPTION_SPECS)) {
    let raw: unknown;
    let source: string;
    if (flags[name] !== undefined) {
      raw = flags[name];
      source = flagName(name);
    } else if (env[envName(name)] !== undefined && env[envName(name)] !== '') {
      raw = env[envName(name)];
      source = envName(name);
    } else if (fileByNorm.has(norm(name))) {
      const f = fileByNorm.get(norm(name))!;
      raw = f.v;
      source = `${configFile}: ${f.k}`;
    } else {
      raw = spec.default;
      source = 'default';
    }
    const r = (spec.schema as z.ZodType).safeParse(raw);
    if (!r.success)
      throw new ConfigError(`${source}: invalid value ${JSON.stringify(raw)}: ${r.error.issues[0].message}`);
    // From the file (or defaulted beside it), a relative path is relative to the file's folder.
    const besideFile = configDir && (source === 'default' ? name === 'db' : source.startsWith(`${configFile}:`));
    out[name] =
      besideFile && PATH_OPTIONS.has(name) && typeof r.data === 'string' && !isAbsolute(r.data)
        ? resolve(configDir, r.data)
        : r.data;
    sources[name] = source;
  }
  for (const [key, schema] of Object.entries(SECTIONS)) {
    const r = parseStrict(schema as z.ZodType, fileByNorm.get(key)?.v ?? {});
    if (!r.success)
      throw new ConfigError(
        r.problems.map((p) => `${configFile}: ${formatPath([key, ...p.path])}: ${p.message}`).join('\n'),
      );
    out[key] = r.data;
  }
  out.topology = chooseTopology(out.topology as string, sources.topology === 'default', opts);
  if (configDir) out.configDir = configDir;
  return out as unknown as Config;
}

/**
 * No topology given: the demo network when asked for (`--demo`), or when run from the source
 * tree (`npm start`, contract default `fixtures/demo-network.yaml`); elsewhere an error, never
 * a silent demo in front of real equipment.
 */
function chooseTopology(given: string, defaulted: boolean, opts: { demo?: boolean; cwd?: string }): string {
  if (opts.demo) {
    if (!defaulted)
      throw new ConfigError('--demo runs the built-in demo network: leave out --topology (or the topology key)');
    return DEMO_TOPOLOGY;
  }
  if (!defaulted || existsSync(resolve(opts.cwd ?? process.cwd(), given))) return given;
  throw new ConfigError(
    'no topology: give your network with --topology FILE (or "topology:" in the config file, or RINGGUARD_TOPOLOGY); --demo runs the built-in demo network',
  );
}

export { envName, flagName };

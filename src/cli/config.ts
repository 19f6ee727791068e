// Service configuration: flag > env RINGGUARD_<NAME> > --config YAML file > default.
// Validated with zod; a bad value is one clear line.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { NotifyConfigSchema, type NotifyConfig } from '../core/notify/config.js';
import { formatPath } from '../core/topology/validate.js';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

export const OPTION_SPECS = {
  topology: { flag: '--topology <file>', default: 'fixtures/demo-network.yaml', help: 'network model (YAML or JSON)', schema: z.string().min(1) },
  db: { flag: '--db <file>', default: 'data/ringguard.db', help: 'SQLite database (created with its folder)', schema: z.string().min(1) },
  trapHost: { flag: '--trap-host <addr>', default: '127.0.0.1', help: 'UDP address for traps and informs', schema: z.string().min(1) },
  trapPort: { flag: '--trap-port <n>', default: 1162, help: 'UDP port (162 needs root)', schema: int(0, 65535) },
  httpHost: { flag: '--http-host <addr>', default: '127.0.0.1', help: 'REST API address', schema: z.string().min(1) },
  httpPort: { flag: '--http-port <n>', default: 8080, help: 'REST API port; 0 picks a free port', schema: int(0, 65535) },
  holdDownMs: { flag: '--hold-down-ms <n>', default: 2500, help: 'correlation window', schema: int(0) },
  orphanGraceMs: { flag: '--orphan-grace-ms <n>', default: null, help: 'an incident of consequent alarms only opens its ticket once still unexplained after this (default 3 × hold-down)', schema: int(0).nullable() },
  switchTimeoutMs: { flag: '--switch-timeout-ms <n>', default: 10000, help: 'switch-required -> switch-failed after this', schema: int(0) },
  wtrMs: { flag: '--wtr-ms <n>', default: 300000, help: 'wait-to-restore for revertive protection', schema: int(0) },
  pollIntervalMs: { flag: '--poll-interval-ms <n>', default: 30000, help: 'poller period per managed node', schema: int(100) },
  pollMisses: { flag: '--poll-misses <n>', default: 3, help: 'failed polls that raise NE-UNREACHABLE', schema: int(1) },
  escalateAfterMs: { flag: '--escalate-after-ms <n>', default: 900000, help: 'unacknowledged ticket rises a level after this', schema: int(1) },
  maintenance: { flag: '--maintenance <file>', default: null, help: 'planned works scheduled ahead (YAML), loaded at start', schema: z.string().min(1).nullable() },
  maintenanceMaxMs: { flag: '--maintenance-max-ms <n>', default: 86400000, help: 'longest planned-works window accepted', schema: int(60000) },
  mappings: { flag: '--mappings <file>', default: null, help: 'extra trap-to-alarm mapping rules (YAML)', schema: z.string().min(1).nullable() },
  roster: { flag: '--roster <file>', default: null, help: 'who is on duty: people, groups, rota (YAML)', schema: z.string().min(1).nullable() },
  logLevel: { flag: '--log-level <level>', default: 'info', help: 'pino level', schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) },
} as const;

export type OptionName = keyof typeof OPTION_SPECS;

const UserSchema = z.object({
  name: z.string().min(1),
  authProtocol: z.enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']).optional(),
  authKey: z.string().min(8).optional(),
  privProtocol: z.enum(['des', 'aes', 'aes256b', 'aes256r']).optional(),
  privKey: z.string().min(8).optional(),
});
export type SnmpUser = z.infer<typeof UserSchema>;

export const SnmpConfigSchema = z.object({
  communities: z.array(z.string().min(1)).default(['public']),
  users: z.array(UserSchema).default([]),
  recvBufferBytes: z.coerce.number().int().min(65536).default(32 * 1024 * 1024),
});

/** EMS northbound interfaces (config file `ems:`): keepalive watch, NE name map, known EMSes. */
export const EmsConfigSchema = z.object({
  /** Expected NBI keepalive period; an iMAP heartbeat's own period wins. */
  keepaliveMs: z.coerce.number().int().min(100).default(60_000),
  /** Keepalive periods without one before EMS-LINK-DOWN. */
  keepaliveMisses: z.coerce.number().int().min(1).default(3),
  /** EMS NE name -> topology node id, for NEs the EMS names differently. */
  names: z.record(z.string(), z.string().min(1)).default({}),
  /** Known EMSes: watched from the start; `nodes` are the NEs its resync reconciles (besides those it reported). */
  systems: z.array(z.object({ id: z.string().min(1), host: z.string().min(1), nodes: z.array(z.string().min(1)).default([]) })).default([]),
});
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

export function resolveConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv, configFile?: string): Config {
  let file: Record<string, unknown> = {};
  if (configFile) {
    let text: string;
    try {
      text = readFileSync(configFile, 'utf8');
    } catch (e) {
      throw new ConfigError(`--config: cannot read ${configFile}: ${(e as Error).message}`);
    }
    try {
      const doc = parseYaml(text);
      if (doc != null && (typeof doc !== 'object' || Array.isArray(doc))) throw new Error('expected a mapping of options');
      file = (doc ?? {}) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`--config: ${configFile} is not a valid config file: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const fileByNorm = new Map(Object.entries(file).map(([k, v]) => [norm(k), { k, v }]));
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(OPTION_SPECS)) {
    let raw: unknown;
    let source: string;
    if (flags[name] !== undefined) { raw = flags[name]; source = flagName(name); }
    else if (env[envName(name)] !== undefined && env[envName(name)] !== '') { raw = env[envName(name)]; source = envName(name); }
    else if (fileByNorm.has(norm(name))) { const f = fileByNorm.get(norm(name))!; raw = f.v; source = `${configFile}: ${f.k}`; }
    else { raw = spec.default; source = 'default'; }
    const r = (spec.schema as z.ZodType).safeParse(raw);
    if (!r.success) throw new ConfigError(`${source}: invalid value ${JSON.stringify(raw)}: ${r.error.issues[0].message}`);
    out[name] = r.data;
  }
  const snmp = SnmpConfigSchema.safeParse(fileByNorm.get('snmp')?.v ?? {});
  if (!snmp.success) {
    const i = snmp.error.issues[0];
    throw new ConfigError(`${configFile}: snmp.${i.path.join('.')}: ${i.message}`);
  }
  out.snmp = snmp.data;
  const notify = NotifyConfigSchema.safeParse(fileByNorm.get('notify')?.v ?? {});
  if (!notify.success) {
    const i = notify.error.issues[0];
    throw new ConfigError(`${configFile}: ${formatPath(['notify', ...i.path])}: ${i.message}`);
  }
  out.notify = notify.data;
  if (configFile) out.configDir = dirname(resolve(configFile));
  const ems = EmsConfigSchema.safeParse(fileByNorm.get('ems')?.v ?? {});
  if (!ems.success) {
    const i = ems.error.issues[0];
    throw new ConfigError(`${configFile}: ${formatPath(['ems', ...i.path])}: ${i.message}`);
  }
  out.ems = ems.data;
  return out as unknown as Config;
}

export { envName, flagName };

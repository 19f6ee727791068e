// Mapping rules (YAML data) from decoded notifications to canonical events.
// net-snmp does the BER decoding; this only reads varbinds by OID.
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { canonicalType, defaultSeverity, SEVERITIES, type Severity } from '../../core/alarms/catalogue.js';
import type { CanonicalEvent } from '../../core/alarms/events.js';
import type { HostEntry } from '../../core/topology/graph.js';
import { MIB_DIR, Mibs } from './mibs.js';

/** A numeric OID, or `MODULE::name` resolved through the MIBs loaded with the rules. */
const oid = z.string().regex(/^(\d+(\.\d+)+|[A-Za-z][\w-]*::[A-Za-z][\w-]*)$/, 'must be a numeric OID or MODULE::name');
const Field = z.object({
  oid: oid.optional(),
  value: z.union([z.string(), z.number()]).optional(),
  from: z.literal('sender').optional(),
  /** With `from: sender`: the kind of managed entity to prefer when several share the address. */
  prefer: z.enum(['node', 'router', 'protocol-converter', 'cpe-sdh', 'cpe-pdh']).optional(),
  map: z.record(z.string(), z.string()).optional(),
  prefix: z.string().optional(),
  pattern: z.string().optional(),
  flags: z.string().optional(),
  template: z.string().optional(),
  /** With `oid`: the varbind may be absent (else a notification without it is `incomplete`). */
  optional: z.boolean().optional(),
});
type Field = z.infer<typeof Field>;

const RuleSchema = z.object({
  name: z.string().min(1),
  trap: oid.optional(),
  trapPrefix: oid.optional(),
  action: z.enum(['raise', 'clear', 'switch', 'restart', 'fault']),
  node: Field.optional(),
  object: Field.optional(),
  alarmName: Field.optional(),
  severity: Field.optional(),
  eventTime: Field.optional(),
  serial: Field.optional(),
  text: Field.optional(),
  switchState: Field.optional(),
  faultFlag: Field.optional(),
  reason: z.enum(['coldStart', 'warmStart']).optional(),
}).refine((r) => r.trap || r.trapPrefix, { message: 'needs trap or trapPrefix' });
export type MappingRule = z.infer<typeof RuleSchema>;

const FileSchema = z.object({ rules: z.array(RuleSchema) });

export interface Varbind {
  oid: string;
  value: unknown;
}

export interface Notification {
  trapOid: string;
  varbinds: Varbind[];
  /** UDP source address. */
  address: string;
  /** v1 agent-addr, when the trap was v1. */
  agentAddr?: string;
  receivedAt: number;
}

export type MapResult =
  | { ok: true; event: CanonicalEvent; rule: string }
  | { ok: false; reason: 'unmapped' | 'incomplete'; detail: string };

export function loadRulesFile(file: string): MappingRule[] {
  const doc = parseYaml(readFileSync(file, 'utf8'));
  const r = FileSchema.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`${file}: ${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')}: ${i.message}`);
  }
  for (const rule of r.data.rules) {
    for (const f of [rule.object, rule.node]) if (f?.pattern) new RegExp(f.pattern, f.flags); // fail early on a bad regex
  }
  return r.data.rules;
}

const BUILTIN = new URL('../../../mibs/mappings.yaml', import.meta.url);

export const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
export const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';

/** Converts a v1 trap to its v2 snmpTrapOID (RFC 3584, 3.1). */
export function v1TrapOid(enterprise: string, generic: number, specific: number): string {
  return generic < 6 ? `1.3.6.1.6.3.1.1.5.${generic + 1}` : `${enterprise}.0.${specific}`;
}

export function valueToString(v: unknown): string {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v == null) return '';
  return String(v);
}

/** Parses ISO 8601 and `YYYY-MM-DD HH:MM:SS` (UTC when no zone); NaN when not a time. */
export function parseEventTime(s: string): number {
  const t = s.trim();
  if (!t) return NaN;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (m) return Date.parse(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
  return Date.parse(t);
}

const regexCache = new WeakMap<Field, RegExp>();
function regexOf(f: Field): RegExp {
  let r = regexCache.get(f);
  if (!r) regexCache.set(f, (r = new RegExp(f.pattern!, f.flags)));
  return r;
}

/** The rule with every symbolic OID made numeric. */
function resolveRule(r: MappingRule, mibs: Mibs): MappingRule {
  const field = (f: Field | undefined) => (f?.oid ? { ...f, oid: mibs.resolve(f.oid) } : f);
  return {
    ...r,
    trap: r.trap && mibs.resolve(r.trap),
    trapPrefix: r.trapPrefix && mibs.resolve(r.trapPrefix),
    node: field(r.node), object: field(r.object), alarmName: field(r.alarmName), severity: field(r.severity),
    eventTime: field(r.eventTime), serial: field(r.serial), text: field(r.text), switchState: field(r.switchState),
    faultFlag: field(r.faultFlag),
  };
}

const REQUIRED = ['node', 'object', 'alarmName', 'severity', 'switchState', 'faultFlag'] as const;

/** Who is managed at an address (the topology, or a copy of its host table in a worker). */
export interface HostResolver {
  byHost(host: string, prefer?: HostEntry['kind']): HostEntry | undefined;
}

export class Mapper {
  private readonly exact = new Map<string, MappingRule>();
  private readonly prefixed: MappingRule[] = [];
  readonly stats = { unknownNames: 0 };

  /**
   * Built-in rules (`mibs/mappings.yaml`) plus `extraFiles`, which add rules or replace those
   * with the same name. The MIBs in `mibs/` and in each extra file's folder are loaded with them,
   * so a rule may name OIDs as `MODULE::name`.
   */
  constructor(readonly hosts: HostResolver, extraFiles: string[] = []) {
    const mibs = new Mibs([MIB_DIR, ...extraFiles.map((f) => dirname(resolvePath(f)))]);
    const rules = new Map<string, MappingRule>();
    for (const file of [BUILTIN.pathname, ...extraFiles]) {
      for (const r of loadRulesFile(file)) {
        try {
          rules.set(r.name, resolveRule(r, mibs));
        } catch (e) {
          throw new Error(`${file}: rule "${r.name}": ${(e as Error).message}`);
        }
      }
    }
    for (const r of rules.values()) {
      if (r.trap) this.exact.set(r.trap, r);
      else this.prefixed.push(r);
    }
    this.prefixed.sort((a, b) => b.trapPrefix!.length - a.trapPrefix!.length);
  }

  ruleFor(trapOid: string): MappingRule | undefined {
    return this.exact.get(trapOid) ?? this.prefixed.find((r) => trapOid === r.trapPrefix || trapOid.startsWith(r.trapPrefix + '.'));
  }

  /** Who sent it: v1 agent-addr, else the UDP source, matched to a node's or equipment's mgmt host. */
  senderNode(n: Notification, prefer?: Field['prefer']): string {
    for (const addr of [n.agentAddr, n.address]) {
      if (!addr || addr === '0.0.0.0') continue;
      const hit = this.hosts.byHost(addr, prefer);
      if (hit) return hit.id;
    }
    return n.agentAddr && n.agentAddr !== '0.0.0.0' ? n.agentAddr : n.address;
  }

  map(n: Notification): MapResult {
    const rule = this.ruleFor(n.trapOid);
    if (!rule) return { ok: false, reason: 'unmapped', detail: n.trapOid };
    // Varbinds by their OID and by their object OID (instance suffix dropped): one pass, then
    // every field is a lookup.
    const byOid = new Map<string, unknown>();
    for (const v of n.varbinds) {
      byOid.set(v.oid, v.value);
      const i = v.oid.lastIndexOf('.');
      const parent = i > 0 ? v.oid.slice(0, i) : '';
      if (parent && !byOid.has(parent)) byOid.set(parent, v.value);
    }
    const read = (f: Field | undefined): string | undefined => {
      if (!f) return undefined;
      let raw: string | undefined;
      if (f.value !== undefined) raw = String(f.value);
      else if (f.from === 'sender') raw = this.senderNode(n, f.prefer);
      else if (f.oid) {
        if (byOid.has(f.oid)) raw = valueToString(byOid.get(f.oid));
        else {
          // A deeper instance (table rows): the first varbind under the object.
          const under = f.oid + '.';
          const vb = n.varbinds.find((v) => v.oid.startsWith(under));
          if (vb) raw = valueToString(vb.value);
        }
      }
      if (raw === undefined) return undefined;
      if (f.map) raw = f.map[raw] ?? raw;
      if (f.pattern) {
        const m = regexOf(f).exec(raw);
        if (m?.groups) {
          const g = m.groups;
          raw = (f.template ?? '{port}').replace(/\{(\w+)\}/g, (_, k: string) => g[k] ?? '');
          if (g.channel) raw += `:${g.channel}`;
        }
      }
      return f.prefix && raw !== '' ? `${f.prefix}${raw}` : raw;
    };
    // A field read from a varbind is required (event time, serial and text have documented
    // fallbacks): a notification without it is rejected, never filled with defaults.
    for (const f of REQUIRED) {
      const field = rule[f];
      if (field?.oid && !field.optional && read(field) === undefined) return { ok: false, reason: 'incomplete', detail: `${rule.name}: no ${f} varbind` };
    }
    const node = read(rule.node) ?? this.senderNode(n);
    if (!node) return { ok: false, reason: 'incomplete', detail: `${rule.name}: no node` };
    const et = parseEventTime(read(rule.eventTime) ?? '');
    const eventTime = Number.isFinite(et) ? et : n.receivedAt;
    const serialText = read(rule.serial);
    const serial = serialText !== undefined && /^\d+$/.test(serialText) ? Number(serialText) : undefined;
    // Serials count per sender: the NE named in the notification, else the address it came from.
    const from = n.agentAddr && n.agentAddr !== '0.0.0.0' ? n.agentAddr : n.address;
    const base = { node, eventTime, receivedAt: n.receivedAt, sender: rule.node?.oid ? node : from, address: from, serial };
    const object = (read(rule.object) ?? '').trim();

    if (rule.action === 'restart') return { ok: true, rule: rule.name, event: { ...base, kind: 'restart', reason: rule.reason ?? 'coldStart' } };
    if (rule.action === 'switch') {
      const state = read(rule.switchState);
      if (state !== 'toProtection' && state !== 'toWorking' && state !== 'failed') {
        return { ok: false, reason: 'incomplete', detail: `${rule.name}: switch state ${JSON.stringify(state)}` };
      }
      return { ok: true, rule: rule.name, event: { ...base, kind: 'switch', object, state } };
    }
    const vendorName = (read(rule.alarmName) ?? '').trim();
    if (!vendorName) return { ok: false, reason: 'incomplete', detail: `${rule.name}: no alarm name` };
    const type = canonicalType(vendorName);
    if (type.startsWith('UNKNOWN:')) this.stats.unknownNames++;
    let kind: 'raise' | 'clear' = rule.action === 'clear' ? 'clear' : 'raise';
    const sevText = read(rule.severity);
    if (rule.action === 'fault') {
      const flag = read(rule.faultFlag);
      kind = flag === 'clear' || sevText === 'cleared' ? 'clear' : 'raise';
    } else if (rule.action === 'raise' && sevText === 'cleared') kind = 'clear';
    const severity: Severity = kind === 'clear' ? 'cleared'
      : sevText && (SEVERITIES as readonly string[]).includes(sevText) ? sevText as Severity : defaultSeverity(type);
    const text = read(rule.text);
    return {
      ok: true, rule: rule.name,
      event: { ...base, kind, object, type, vendorName, severity, ...(text ? { text } : {}), origin: 'trap' },
    };
  }
}

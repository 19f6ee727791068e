// Mapping rules (YAML data) from decoded notifications to canonical events.
// net-snmp does the BER decoding; this only reads varbinds by OID.
import { readdirSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { canonicalType, defaultSeverity, SEVERITIES, type Severity } from '../../core/alarms/catalogue.js';
import type { CanonicalEvent, EmsSignal, IngestEvent } from '../../core/alarms/events.js';
import type { HostEntry } from '../../core/topology/graph.js';
import { MIB_DIR, Mibs } from './mibs.js';
import { readDocument } from '../files/document.js';
import { parseStrict } from '../../core/strict.js';
import { formatPath, formatProblem } from '../../core/topology/validate.js';

/** A numeric OID, or `MODULE::name` resolved through the MIBs loaded with the rules. */
const oid = z.string().regex(/^(\d+(\.\d+)+|[A-Za-z][\w-]*::[A-Za-z][\w-]*)$/, 'must be a numeric OID or MODULE::name');
interface FieldShape {
  oid?: string;
  value?: string | number;
  from?: 'sender' | 'trap';
  prefer?: 'node' | 'router' | 'protocol-converter' | 'cpe-sdh' | 'cpe-pdh';
  map?: Record<string, string>;
  prefix?: string;
  pattern?: string;
  flags?: string;
  template?: string;
  unmatched?: string;
  optional?: boolean;
  else?: FieldShape;
}
const Field: z.ZodType<FieldShape> = z.lazy(() =>
  z
    .object({
      oid: oid.optional(),
      value: z.union([z.string(), z.number()]).optional(),
      /** `sender`: the sender matched to a managed entity; `trap`: the last arc of the notification OID. */
      from: z.enum(['sender', 'trap']).optional(),
      /** With `from: sender`: the kind of managed entity to prefer when several share the address. */
      prefer: z.enum(['node', 'router', 'protocol-converter', 'cpe-sdh', 'cpe-pdh']).optional(),
      map: z.record(z.string(), z.string()).optional(),
      prefix: z.string().optional(),
      pattern: z.string().optional(),
      flags: z.string().optional(),
      template: z.string().optional(),
      /** With `pattern`: the value when the pattern does not match (default: the value as read). */
      unmatched: z.string().optional(),
      /** With `oid`: the varbind may be absent (else a notification without it is `incomplete`). */
      optional: z.boolean().optional(),
      /** Read instead when this field is absent or empty. */
      else: Field.optional(),
    })
    .strict(),
);
type Field = FieldShape;

export const ACTIONS = [
  'raise',
  'clear',
  'switch',
  'restart',
  'fault',
  'heartbeat',
  'sync-start',
  'sync-row',
  'sync-end',
] as const;

const RuleSchema = z
  .object({
    name: z.string().min(1),
    trap: oid.optional(),
    trapPrefix: oid.optional(),
    action: z.enum(ACTIONS),
    /** `ems`: an EMS northbound interface: serials count per EMS, NE names go through the EMS name map. */
    via: z.literal('ems').optional(),
    node: Field.optional(),
    object: Field.optional(),
    alarmName: Field.optional(),
    severity: Field.optional(),
    eventTime: Field.optional(),
    serial: Field.optional(),
    text: Field.optional(),
    switchState: Field.optional(),
    /** action fault / sync-row: `raise`, `clear` or `ignore` (events, acknowledgements). */
    faultFlag: Field.optional(),
    /** Vendor alarm names that indicate a protection switch: raised = toProtection, cleared = toWorking. */
    switchAlarms: z.array(z.string().min(1)).optional(),
    /** Extra facts kept on the alarm (its `text`), e.g. NE type, trail name, the EMS's root-alarm flag. */
    facts: z.record(z.string(), Field).optional(),
    /** heartbeat: the period the EMS announces, in seconds. */
    period: Field.optional(),
    /** sync-end: `ok` when the synchronisation completed, anything else when it stopped or failed. */
    status: Field.optional(),
    reason: z.enum(['coldStart', 'warmStart']).optional(),
  })
  .strict()
  .refine((r) => r.trap || r.trapPrefix, { message: 'needs trap or trapPrefix' });
export type MappingRule = z.infer<typeof RuleSchema>;

const FileSchema = z.object({ rules: z.array(RuleSchema) }).strict();

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

// The receiver's output types live in the core (the pipeline takes them without importing adapters).
export type { EmsSignal, IngestEvent } from '../../core/alarms/events.js';

export type MapResult =
  | { ok: true; event: IngestEvent; rule: string }
  | { ok: false; reason: 'unmapped' | 'incomplete' | 'ignored'; detail: string };

/** EMS northbound settings the mapper needs (config file `ems:`). */
export interface EmsNaming {
  /** EMS NE name -> topology node id, for NEs the EMS names differently. */
  names?: Record<string, string>;
  /** Known EMSes by address: their id (the node of their EMS-LINK-DOWN alarm). */
  systems?: Array<{ id: string; host: string }>;
}

export function loadRulesFile(file: string): MappingRule[] {
  // Unknown keys are errors with a suggestion (`rules[2].alarmNme`), syntax errors show the spot.
  const d = readDocument(file);
  if (!d.ok) throw new Error(d.problems.map(formatProblem).join('\n'));
  const r = parseStrict(FileSchema, d.doc);
  if (!r.success) throw new Error(r.problems.map((p) => `${file}: ${formatPath(p.path)}: ${p.message}`).join('\n'));
  for (const rule of r.data.rules) {
    for (const f of [rule.object, rule.node]) if (f?.pattern) new RegExp(f.pattern, f.flags); // fail early on a bad regex
  }
  return r.data.rules;
}

/** The built-in rule files: `mibs/mappings.yaml`, then every other `mibs/*.yaml` (vendor layouts). */
export function builtinRuleFiles(): string[] {
  const others = readdirSync(MIB_DIR)
    .filter((f) => /\.ya?ml$/i.test(f) && f !== 'mappings.yaml')
    .sort();
  return ['mappings.yaml', ...others].map((f) => join(MIB_DIR, f));
}

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
  const m =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(Z|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?|UTC|GMT)?(?:\s+DST)?$/i.exec(
      t,
    );
  if (m) return Date.parse(`${m[1]}T${m[2]}${zone(m[3])}`);
  return Date.parse(t);
}

/** `Z`, `+08:00`, `+0800`, `UTC+8`, `GMT-05:30` as an ISO offset; no zone is UTC. */
function zone(z: string | undefined): string {
  const m = z ? /([+-])(\d{1,2}):?(\d{2})?$/.exec(z) : null;
  return m ? `${m[1]}${m[2].padStart(2, '0')}:${m[3] ?? '00'}` : 'Z';
}

const regexCache = new WeakMap<Field, RegExp>();
function regexOf(f: Field): RegExp {
  let r = regexCache.get(f);
  if (!r) regexCache.set(f, (r = new RegExp(f.pattern!, f.flags)));
  return r;
}

function resolveField(f: Field | undefined, mibs: Mibs): Field | undefined {
  if (!f) return f;
  return {
    ...f,
    ...(f.oid ? { oid: mibs.resolve(f.oid) } : {}),
    ...(f.else ? { else: resolveField(f.else, mibs) } : {}),
  };
}

const FIELDS = [
  'node',
  'object',
  'alarmName',
  'severity',
  'eventTime',
  'serial',
  'text',
  'switchState',
  'faultFlag',
  'period',
  'status',
] as const;

/** The rule with every symbolic OID made numeric. */
function resolveRule(r: MappingRule, mibs: Mibs): MappingRule {
  const out: MappingRule = {
    ...r,
    trap: r.trap && mibs.resolve(r.trap),
    trapPrefix: r.trapPrefix && mibs.resolve(r.trapPrefix),
  };
  for (const k of FIELDS) out[k] = resolveField(r[k], mibs);
  if (r.facts) out.facts = Object.fromEntries(Object.entries(r.facts).map(([k, f]) => [k, resolveField(f, mibs)!]));
  return out;
}

const REQUIRED = ['node', 'object', 'alarmName', 'severity', 'switchState', 'faultFlag'] as const;

/** Who is managed at an address (the topology, or a copy of its host table in a worker). */
export interface HostResolver {
  byHost(host: string, prefer?: HostEntry['kind']): HostEntry | undefined;
}

type Read = (f: Field | undefined) => string | undefined;

/** Applies `map`, `pattern`/`template` and `prefix` to a raw value. */
function shape(f: Field, raw: string): string {
  if (f.map) raw = f.map[raw] ?? raw;
  if (f.pattern) {
    const m = regexOf(f).exec(raw);
    if (m?.groups) {
      const g = m.groups;
      raw = (f.template ?? '{port}').replace(/\{(\w+)\}/g, (_, k: string) => g[k] ?? '');
      if (g.channel) raw += `:${g.channel}`;
    } else if (f.unmatched !== undefined) raw = f.unmatched;
  }
  return f.prefix && raw !== '' ? `${f.prefix}${raw}` : raw;
}

export class Mapper {
  private readonly exact = new Map<string, MappingRule>();
  private readonly prefixed: MappingRule[] = [];
  private readonly names: ReadonlyMap<string, string>;
  private readonly emsByHost: ReadonlyMap<string, string>;
  readonly stats = { unknownNames: 0 };

  /**
   * Built-in rules (`mibs/mappings.yaml` and the vendor layouts `mibs/*.yaml`) plus `extraFiles`,
   * which add rules or replace those with the same name. The MIBs in `mibs/` and in each extra
   * file's folder are loaded with them, so a rule may name OIDs as `MODULE::name`.
   */
  constructor(
    readonly hosts: HostResolver,
    extraFiles: string[] = [],
    ems: EmsNaming = {},
  ) {
    const mibs = new Mibs([MIB_DIR, ...extraFiles.map((f) => dirname(resolvePath(f)))]);
    const rules = new Map<string, MappingRule>();
    for (const file of [...builtinRuleFiles(), ...extraFiles]) {
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
    this.names = new Map(Object.entries(ems.names ?? {}).map(([k, v]) => [k.trim(), v]));
    this.emsByHost = new Map((ems.systems ?? []).map((s) => [s.host, s.id]));
  }

  ruleFor(trapOid: string): MappingRule | undefined {
    return (
      this.exact.get(trapOid) ??
      this.prefixed.find((r) => trapOid === r.trapPrefix || trapOid.startsWith(r.trapPrefix + '.'))
    );
  }

  /** Who sent it: v1 agent-addr, else the UDP source, matched to a node's or equipment's mgmt host. */
  senderNode(n: Notification, prefer?: Field['prefer']): string {
    for (const addr of [n.agentAddr, n.address]) {
      if (!addr || addr === '0.0.0.0') continue;
      const hit = this.hosts.byHost(addr, prefer);
      if (hit) return hit.id;
    }
    return sourceOf(n);
  }

  /** The EMS a northbound notification came from: its configured id, else `EMS-<address>`. */
  emsOf(n: Notification): string {
    const addr = sourceOf(n);
    return this.emsByHost.get(addr) ?? `EMS-${addr}`;
  }

  /** The topology id of an NE as the EMS names it (the EMS name map, else the name itself). */
  nodeName(emsName: string): string {
    return this.names.get(emsName.trim()) ?? emsName.trim();
  }

  map(n: Notification): MapResult {
    const rule = this.ruleFor(n.trapOid);
    if (!rule) return { ok: false, reason: 'unmapped', detail: n.trapOid };
    const read = this.reader(n);
    const ems = () => this.emsOf(n);
    switch (rule.action) {
      case 'heartbeat': {
        const s = Number(read(rule.period));
        const signal: EmsSignal = {
          kind: 'ems',
          signal: 'heartbeat',
          ems: ems(),
          at: n.receivedAt,
          ...(s > 0 ? { periodMs: s * 1000 } : {}),
        };
        return { ok: true, rule: rule.name, event: signal };
      }
      case 'sync-start':
        return {
          ok: true,
          rule: rule.name,
          event: { kind: 'ems', signal: 'sync-start', ems: ems(), at: n.receivedAt },
        };
      case 'sync-end': {
        const status = read(rule.status);
        return {
          ok: true,
          rule: rule.name,
          event: {
            kind: 'ems',
            signal: 'sync-end',
            ems: ems(),
            at: n.receivedAt,
            complete: status === undefined || status === 'ok',
          },
        };
      }
      default: {
        const r = this.eventOf(rule, n, read);
        if (!r.ok || rule.action !== 'sync-row') return r;
        const ev = r.event as CanonicalEvent;
        if (ev.kind !== 'raise' && ev.kind !== 'clear')
          return { ok: false, reason: 'ignored', detail: `${rule.name}: not an alarm row` };
        const { serial: _s, sender: _f, ...row } = ev;
        return {
          ok: true,
          rule: rule.name,
          event: { kind: 'ems', signal: 'sync-row', ems: ems(), at: n.receivedAt, event: { ...row, origin: 'resync' } },
        };
      }
    }
  }

  /** Reads rule fields from one notification: varbinds indexed once, then every field is a lookup. */
  private reader(n: Notification): Read {
    // Varbinds by their OID and by their object OID (instance suffix dropped).
    const byOid = new Map<string, unknown>();
    for (const v of n.varbinds) {
      byOid.set(v.oid, v.value);
      const i = v.oid.lastIndexOf('.');
      const parent = i > 0 ? v.oid.slice(0, i) : '';
      if (parent && !byOid.has(parent)) byOid.set(parent, v.value);
    }
    const raw = (f: Field): string | undefined => {
      if (f.value !== undefined) return String(f.value);
      if (f.from === 'sender') return this.senderNode(n, f.prefer);
      if (f.from === 'trap') return n.trapOid.slice(n.trapOid.lastIndexOf('.') + 1);
      if (!f.oid) return undefined;
      if (byOid.has(f.oid)) return valueToString(byOid.get(f.oid));
      // A deeper instance (table rows): the first varbind under the object.
      const under = f.oid + '.';
      const vb = n.varbinds.find((v) => v.oid.startsWith(under));
      return vb ? valueToString(vb.value) : undefined;
    };
    const read: Read = (f) => {
      if (!f) return undefined;
      const r = raw(f);
      if ((r === undefined || r.trim() === '') && f.else) return read(f.else);
      return r === undefined ? undefined : shape(f, r);
    };
    return read;
  }

  private eventOf(rule: MappingRule, n: Notification, read: Read): MapResult {
    const named = read(rule.node);
    // A field read from a varbind is required (event time, serial and text have documented
    // fallbacks): a notification without it is rejected, never filled with defaults.
    for (const f of REQUIRED) {
      const field = rule[f];
      if (field?.oid && !field.optional && read(field) === undefined)
        return { ok: false, reason: 'incomplete', detail: `${rule.name}: no ${f} varbind` };
    }
    const node = named !== undefined && rule.via === 'ems' ? this.nodeName(named) : (named ?? this.senderNode(n));
    if (!node) return { ok: false, reason: 'incomplete', detail: `${rule.name}: no node` };
    const et = parseEventTime(read(rule.eventTime) ?? '');
    const eventTime = Number.isFinite(et) ? et : n.receivedAt;
    const serialText = read(rule.serial)?.trim();
    const serial = serialText !== undefined && /^\d+$/.test(serialText) ? Number(serialText) : undefined;
    // Serials count per sender: the EMS for a northbound layout, the NE named in the
    // notification, else the address it came from.
    const from = sourceOf(n);
    const sender = rule.via === 'ems' ? this.emsOf(n) : rule.node?.oid ? node : from;
    const base = { node, eventTime, receivedAt: n.receivedAt, sender, address: from, serial };
    const object = (read(rule.object) ?? '').trim();

    if (rule.action === 'restart')
      return { ok: true, rule: rule.name, event: { ...base, kind: 'restart', reason: rule.reason ?? 'coldStart' } };
    if (rule.action === 'switch') {
      const state = read(rule.switchState);
      if (state !== 'toProtection' && state !== 'toWorking' && state !== 'failed') {
        return { ok: false, reason: 'incomplete', detail: `${rule.name}: switch state ${JSON.stringify(state)}` };
      }
      return { ok: true, rule: rule.name, event: { ...base, kind: 'switch', object, state } };
    }
    const vendorName = (read(rule.alarmName) ?? '').trim();
    if (!vendorName) return { ok: false, reason: 'incomplete', detail: `${rule.name}: no alarm name` };
    const sevText = read(rule.severity);
    let kind: 'raise' | 'clear' = rule.action === 'clear' ? 'clear' : 'raise';
    if (rule.action === 'fault' || rule.action === 'sync-row') {
      const flag = read(rule.faultFlag);
      if (flag === 'ignore')
        return {
          ok: false,
          reason: 'ignored',
          detail: `${rule.name}: ${vendorName} is an event or acknowledgement, not an alarm change`,
        };
      kind = flag === 'clear' || sevText === 'cleared' ? 'clear' : 'raise';
    } else if (rule.action === 'raise' && sevText === 'cleared') kind = 'clear';
    if (rule.switchAlarms?.includes(vendorName)) {
      return {
        ok: true,
        rule: rule.name,
        event: { ...base, kind: 'switch', object, state: kind === 'raise' ? 'toProtection' : 'toWorking' },
      };
    }
    const type = canonicalType(vendorName);
    if (type.startsWith('UNKNOWN:')) this.stats.unknownNames++;
    const severity: Severity =
      kind === 'clear'
        ? 'cleared'
        : sevText && (SEVERITIES as readonly string[]).includes(sevText)
          ? (sevText as Severity)
          : defaultSeverity(type);
    const text = textOf(rule, read);
    return {
      ok: true,
      rule: rule.name,
      event: {
        ...base,
        kind,
        object,
        type,
        vendorName,
        severity,
        ...(text ? { text } : {}),
        origin: 'trap',
        ...(rule.via === 'ems' ? { ems: sender } : {}),
      },
    };
  }
}

/** The rule's text, followed by its facts as `name=value` pairs (those present). */
function textOf(rule: MappingRule, read: Read): string | undefined {
  const parts: string[] = [];
  const t = read(rule.text)?.trim();
  if (t) parts.push(t);
  for (const [k, f] of Object.entries(rule.facts ?? {})) {
    const v = read(f)?.trim();
    if (v) parts.push(`${k}=${v}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}

function sourceOf(n: Notification): string {
  return n.agentAddr && n.agentAddr !== '0.0.0.0' ? n.agentAddr : n.address;
}

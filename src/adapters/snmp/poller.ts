// Poller: every managed node/equipment (v2c or v3) is asked for sysUpTime.0 every interval,
// with bounded concurrency and a per-request timeout so one dead agent delays nobody.
// Misses raise NE-UNREACHABLE, the first success clears it; uptime going backwards is a
// restart. Agents with rgActiveAlarmTable are walked and reconciled (resync).
import snmp from 'net-snmp';
import type { Logger } from 'pino';
import { canonicalType, defaultSeverity, SEVERITIES, type Severity } from '../../core/alarms/catalogue.js';
import type { CanonicalEvent } from '../../core/alarms/events.js';
import type { Mgmt } from '../../core/topology/schema.js';
import type { TopologyGraph } from '../../core/topology/graph.js';
import { SYS_UPTIME, parseEventTime, valueToString } from './mapping.js';
import { usmUser } from './receiver.js';
import { RG } from './sender.js';

export interface PollerOptions {
  intervalMs: number;
  misses: number;
  timeoutMs?: number;
  concurrency?: number;
  /** Walk the alarm table every N polls (besides start and serial gaps). */
  resyncEvery?: number;
  logger?: Logger;
  now?: () => number;
}

interface Target {
  id: string;
  mgmt: Mgmt;
  session: ReturnType<typeof snmp.createSession> | null;
  misses: number;
  unreachable: boolean;
  lastUptime: number | null;
  hasTable: boolean | null;
  polls: number;
  busy: boolean;
}

export function compareOids(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const SEV_BY_CODE: Record<string, Severity> = {
  1: 'cleared',
  2: 'indeterminate',
  3: 'critical',
  4: 'major',
  5: 'minor',
  6: 'warning',
};

export class Poller {
  private readonly targets = new Map<string, Target>();
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private readonly now: () => number;
  readonly stats = { polls: 0, failures: 0, resyncs: 0, resyncRaised: 0, resyncCleared: 0 };

  constructor(
    graph: TopologyGraph,
    readonly opts: PollerOptions,
    private readonly sink: (ev: CanonicalEvent) => void,
    private readonly activeOf: (node: string) => Array<{ object: string; type: string; vendorName: string }>,
  ) {
    this.now = opts.now ?? Date.now;
    this.setTopology(graph);
  }

  /**
   * The nodes and equipment with `mgmt` of a (reloaded) topology: new ones are polled from the
   * next round, removed ones no longer; a target whose `mgmt` is unchanged keeps its miss count.
   */
  setTopology(graph: TopologyGraph): void {
    const want = new Map<string, Mgmt>();
    for (const n of graph.nodes.values()) if (n.mgmt) want.set(n.id, n.mgmt);
    for (const e of graph.equipment.values()) if (e.mgmt) want.set(e.id, e.mgmt);
    for (const [id, t] of this.targets) {
      if (JSON.stringify(want.get(id)) === JSON.stringify(t.mgmt)) continue;
      closeSession(t);
      this.targets.delete(id);
    }
    for (const [id, mgmt] of want) if (!this.targets.has(id)) this.add(id, mgmt);
    if (this.started && !this.timer) this.start();
  }

  private add(id: string, mgmt: Mgmt): void {
    this.targets.set(id, {
      id,
      mgmt,
      session: null,
      misses: 0,
      unreachable: false,
      lastUptime: null,
      hasTable: null,
      polls: 0,
      busy: false,
    });
  }

  get size(): number {
    return this.targets.size;
  }

  start(): void {
    this.started = true;
    if (!this.targets.size) return;
    void this.cycle();
    this.timer = setInterval(() => void this.cycle(), this.opts.intervalMs);
    this.timer.unref();
  }

  /** One round over all targets (also used by tests). */
  async cycle(): Promise<void> {
    await Promise.all([...this.targets.values()].map((t) => this.limited(() => this.poll(t))));
  }

  private limited<T>(fn: () => Promise<T>): Promise<T> {
    const max = this.opts.concurrency ?? 32;
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        this.running++;
        fn()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.queue.shift()?.();
          });
      };
      if (this.running < max) run();
      else this.queue.push(run);
    });
  }

  private session(t: Target): ReturnType<typeof snmp.createSession> {
    if (t.session) return t.session;
    const timeout = this.opts.timeoutMs ?? Math.min(5000, Math.max(200, Math.floor(this.opts.intervalMs / 3)));
    const m = t.mgmt as Mgmt & { version?: unknown; community?: string };
    if (m.version === 3) {
      const v3 = t.mgmt as Extract<Mgmt, { version: 3 }>;
      t.session = snmp.createV3Session(
        v3.host,
        usmUser({
          name: v3.user,
          authProtocol: v3.authProtocol,
          authKey: v3.authKey,
          privProtocol: v3.privProtocol,
          privKey: v3.privKey,
        }),
        { port: v3.port, timeout, retries: 0, version: snmp.Version3 },
      );
    } else {
      t.session = snmp.createSession(m.host, m.community ?? 'public', {
        port: m.port,
        timeout,
        retries: 0,
        version: m.version === 1 ? snmp.Version1 : snmp.Version2c,
      });
    }
    t.session.on('error', () => undefined);
    return t.session;
  }

  /**
   * sysUpTime.0 of the agent. An agent that answers at all is reachable, even with an error
   * (noSuchObject, a v1 noSuchName): then the uptime is null. Only no answer is a miss.
   */
  private uptime(t: Target): Promise<number | null> {
    return new Promise((resolve, reject) => {
      this.session(t).get([SYS_UPTIME], (err, got) => {
        if (err) return err instanceof snmp.RequestFailedError ? resolve(null) : reject(err);
        const vb = got?.[0];
        resolve(!vb || snmp.isVarbindError(vb) ? null : Number(vb.value));
      });
    });
  }

  async poll(t: Target): Promise<void> {
    if (t.busy) return;
    t.busy = true;
    this.stats.polls++;
    t.polls++;
    try {
      const uptime = await this.uptime(t);
      const now = this.now();
      if (t.unreachable) {
        t.unreachable = false;
        this.sink({
          kind: 'clear',
          node: t.id,
          object: '',
          type: 'NE-UNREACHABLE',
          vendorName: 'NE-UNREACHABLE',
          severity: 'cleared',
          eventTime: now,
          origin: 'poll',
        });
      }
      t.misses = 0;
      if (uptime != null && t.lastUptime != null && uptime < t.lastUptime) {
        this.sink({ kind: 'restart', node: t.id, reason: 'uptime-reset', eventTime: now });
        t.hasTable = null;
      }
      if (uptime != null) t.lastUptime = uptime;
      const every = this.opts.resyncEvery ?? 10;
      if (t.hasTable === null || t.polls % every === 0) {
        await this.resyncTarget(t).catch((e: Error) =>
          this.opts.logger?.warn({ node: t.id, err: e.message }, 'alarm table walk failed'),
        );
      }
    } catch (e) {
      this.stats.failures++;
      t.misses++;
      if (t.misses === this.opts.misses && !t.unreachable) {
        t.unreachable = true;
        this.opts.logger?.warn({ node: t.id, misses: t.misses, err: (e as Error).message }, 'node unreachable');
        this.sink({
          kind: 'raise',
          node: t.id,
          object: '',
          type: 'NE-UNREACHABLE',
          vendorName: 'NE-UNREACHABLE',
          severity: 'major',
          eventTime: this.now(),
          origin: 'poll',
        });
      }
    } finally {
      t.busy = false;
    }
  }

  /** A serial gap from this node (or a restart): walk its alarm table now. */
  async resync(node: string): Promise<boolean> {
    const t = this.targets.get(node);
    if (!t) return false;
    await this.resyncTarget(t).catch(() => undefined);
    return true;
  }

  private walk(t: Target, oid: string): Promise<Array<{ oid: string; value: unknown }>> {
    return new Promise((resolve, reject) => {
      const out: Array<{ oid: string; value: unknown }> = [];
      let last = oid;
      this.session(t).subtree(
        oid,
        20,
        (vbs) => {
          for (const vb of vbs) {
            // Some agents answer a missing subtree with noSuchObject at the same OID forever:
            // an error varbind, or an OID that does not advance, ends the walk.
            if (snmp.isVarbindError(vb) || compareOids(vb.oid, last) <= 0 || out.length >= 100_000) return true;
            out.push({ oid: vb.oid, value: vb.value });
            last = vb.oid;
          }
          return false; // keep walking
        },
        (err) => (err ? reject(err) : resolve(out)),
      );
    });
  }

  private async resyncTarget(t: Target): Promise<void> {
    const vbs = await this.walk(t, RG.activeAlarmEntry);
    if (!vbs.length) {
      t.hasTable = t.hasTable ?? false;
      return;
    }
    t.hasTable = true;
    this.stats.resyncs++;
    const rows = new Map<string, Record<number, string>>();
    const prefix = RG.activeAlarmEntry + '.';
    for (const vb of vbs) {
      const [col, ...idx] = vb.oid.slice(prefix.length).split('.');
      const key = idx.join('.');
      const row = rows.get(key) ?? {};
      row[Number(col)] = valueToString(vb.value);
      rows.set(key, row);
    }
    const now = this.now();
    const inTable = new Map<string, CanonicalEvent>();
    for (const r of rows.values()) {
      const node = r[2] || t.id;
      const object = r[3] ?? '';
      const vendorName = r[4] ?? '';
      if (!vendorName) continue;
      const type = canonicalType(vendorName);
      const sev =
        SEV_BY_CODE[r[5]] ?? (SEVERITIES.includes(r[5] as Severity) ? (r[5] as Severity) : defaultSeverity(type));
      const raised = parseEventTime(r[6] ?? '');
      inTable.set(`${node}|${object}|${type}`, {
        kind: 'raise',
        node,
        object,
        type,
        vendorName,
        severity: sev === 'cleared' ? defaultSeverity(type) : sev,
        eventTime: Number.isFinite(raised) ? raised : now,
        origin: 'resync',
      });
    }
    const here = new Set<string>();
    for (const a of this.activeOf(t.id)) {
      if (a.type === 'NE-UNREACHABLE') continue; // the poller's own alarm, not the NE's
      const key = `${t.id}|${a.object}|${a.type}`;
      here.add(key);
      if (!inTable.has(key)) {
        this.stats.resyncCleared++;
        this.sink({
          kind: 'clear',
          node: t.id,
          object: a.object,
          type: a.type,
          vendorName: a.vendorName,
          severity: 'cleared',
          eventTime: now,
          origin: 'resync',
        });
      }
    }
    for (const [key, ev] of inTable) {
      if (!here.has(key)) {
        this.stats.resyncRaised++;
        this.sink(ev);
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.started = false;
    for (const t of this.targets.values()) closeSession(t);
  }
}

function closeSession(t: Target): void {
  try {
    t.session?.close();
  } catch {
    /* closed */
  }
  t.session = null;
}

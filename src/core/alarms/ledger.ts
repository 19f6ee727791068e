// The alarm ledger: raise/clear pairing on the key (node, object, type), repeats counted,
// flapping marked, a clear that overtakes its raise held. It says what happened to each alarm;
// deciding what the alarms mean is the correlator's. Pure: time is passed in.
import { layerOf, type Severity } from './catalogue.js';
import { alarmKey, type AlarmEvent } from './events.js';
import { iso, type AlarmView } from '../model.js';
import type { TopologyGraph } from '../topology/graph.js';

export interface Alarm {
  n: number;
  id: string;
  key: string;
  node: string;
  object: string;
  port: string;
  channel?: number;
  type: string;
  vendorName: string;
  severity: Severity;
  state: 'active' | 'cleared';
  raisedAt: number;
  clearedAt: number | null;
  count: number;
  /** Set by the correlator when the alarm is decided. */
  incidentId: string | null;
  suppressed: boolean;
  flapping: boolean;
  /** Processing time at which the hold-down ends; null once decided. */
  due: number | null;
  raises: number[];
  text?: string;
  clearedBy?: 'resync';
}

export type LedgerChange =
  /** A new alarm: it waits for its hold-down, then the correlator decides it. */
  | { kind: 'new'; alarm: Alarm }
  /** A raise of an alarm already active: counted. */
  | { kind: 'repeat'; alarm: Alarm }
  /** The same alarm raised again within the reopen window after its clear. */
  | { kind: 'back'; alarm: Alarm }
  | { kind: 'cleared'; alarm: Alarm };

/** A clear waiting for its raise (UDP reorders), kept until `until` (processing time). */
export interface HeldClear {
  key: string;
  ev: AlarmEvent;
  until: number;
}

/** A held clear kept (`held`) or done with (`held: null`: its raise came, or it expired). */
export interface HeldClearChange {
  key: string;
  held: HeldClear | null;
}

export interface LedgerOptions {
  /** A re-raise within this long after the clear (event time) is the same alarm coming back. */
  reopenWindowMs: number;
  /** Raises of one key within flapWindowMs that mark it flapping. */
  flapThreshold?: number;
  flapWindowMs?: number;
}

export class AlarmLedger {
  private readonly byId = new Map<string, Alarm>();
  private readonly active = new Map<string, Alarm>();
  /** Last alarm record per key (active or cleared), for coming back and flap detection. */
  private readonly lastByKey = new Map<string, Alarm>();
  private readonly activeByNodeType = new Map<string, Set<Alarm>>();
  private readonly activeByNode = new Map<string, Set<Alarm>>();
  /** In deadline order (deadline = now + a constant): the next expiry is the first entry. */
  private readonly heldClears = new Map<string, { ev: AlarmEvent; until: number }>();
  /** Held clears kept or dropped since the last `takeHeldChanges` (to persist them). */
  private heldChanged = new Map<string, HeldClear | null>();
  /** Per node, the latest event time of an alarm it raised itself (not one the manager raises about it). */
  private readonly heard = new Map<string, number>();
  private seq = 0;
  private readonly reopenWindow: number;
  private readonly flapThreshold: number;
  private readonly flapWindow: number;
  readonly stats = { raises: 0, clears: 0, duplicates: 0, staleClears: 0, heldClears: 0, orphanClears: 0 };

  constructor(
    private readonly graph: TopologyGraph,
    opts: LedgerOptions,
  ) {
    this.reopenWindow = opts.reopenWindowMs;
    this.flapThreshold = opts.flapThreshold ?? 5;
    this.flapWindow = opts.flapWindowMs ?? 60_000;
  }

  setIdBase(n: number): void {
    this.seq = Math.max(this.seq, n);
  }

  get(id: string): Alarm | undefined {
    return this.byId.get(id);
  }
  activeAt(node: string, object: string, type: string): Alarm | undefined {
    return this.active.get(alarmKey(node, object, type));
  }
  /** The latest alarm at a key, active or cleared (while remembered). */
  lastAt(node: string, object: string, type: string): Alarm | undefined {
    return this.lastByKey.get(alarmKey(node, object, type));
  }
  /** The latest event time at which the node raised an alarm of its own (it was alive then). */
  lastHeard(node: string): number | undefined {
    return this.heard.get(node);
  }
  activeOn(node: string, type: string): readonly Alarm[] {
    return [...(this.activeByNodeType.get(`${node}|${type}`) ?? [])];
  }
  /** Active alarms of a node (for the poller's reconciliation). */
  activeOfNode(node: string): Array<{ object: string; type: string; vendorName: string }> {
    return [...(this.activeByNode.get(node) ?? [])].map((a) => ({
      object: a.object,
      type: a.type,
      vendorName: a.vendorName,
    }));
  }
  size(): { alarms: number; active: number } {
    return { alarms: this.byId.size, active: this.active.size };
  }

  apply(ev: AlarmEvent, now: number): LedgerChange[] {
    return ev.kind === 'raise' ? this.raise(ev) : this.clear(ev, now);
  }

  /** Held clears whose raise never came are dropped (counted) after the reopen window. */
  expire(now: number): void {
    for (const [key, h] of this.heldClears) {
      if (h.until > now) break;
      this.unhold(key);
      this.stats.orphanClears++;
    }
  }

  nextExpiry(): number | undefined {
    return this.heldClears.values().next().value?.until;
  }

  /** Forgets a cleared alarm (its incident can no longer reopen; SQLite keeps it). */
  forget(a: Alarm): void {
    if (a.state === 'active') return;
    this.byId.delete(a.id);
    if (this.lastByKey.get(a.key) === a) this.lastByKey.delete(a.key);
  }

  private raise(ev: AlarmEvent): LedgerChange[] {
    this.stats.raises++;
    const key = alarmKey(ev.node, ev.object, ev.type);
    const existing = this.active.get(key);
    if (existing) {
      existing.count++;
      this.stats.duplicates++;
      if (ev.severity !== 'cleared') existing.severity = ev.severity;
      return [{ kind: 'repeat', alarm: existing }];
    }
    const held = this.heldClears.get(key);
    const last = this.lastByKey.get(key);
    let out: LedgerChange[];
    let a: Alarm;
    if (
      last &&
      last.state === 'cleared' &&
      last.clearedAt != null &&
      ev.eventTime >= last.clearedAt &&
      ev.eventTime - last.clearedAt <= this.reopenWindow
    ) {
      a = last;
      a.state = 'active';
      a.clearedAt = null;
      a.clearedBy = undefined;
      a.count++;
      a.raises.push(ev.eventTime);
      while (a.raises.length && a.raises[0] < ev.eventTime - this.flapWindow) a.raises.shift();
      if (a.raises.length >= this.flapThreshold) a.flapping = true;
      out = [{ kind: 'back', alarm: a }];
    } else {
      const { port, channel } = this.graph.splitObject(ev.node, ev.object);
      const n = ++this.seq;
      a = {
        n,
        id: `ALM-${n}`,
        key,
        node: ev.node,
        object: ev.object,
        port,
        channel,
        type: ev.type,
        vendorName: ev.vendorName,
        severity: ev.severity,
        state: 'active',
        raisedAt: ev.eventTime,
        clearedAt: null,
        count: 1,
        incidentId: null,
        suppressed: false,
        flapping: false,
        due: null,
        raises: [ev.eventTime],
        text: ev.text,
      };
      this.byId.set(a.id, a);
      this.lastByKey.set(key, a);
      out = [{ kind: 'new', alarm: a }];
    }
    this.activate(a);
    this.hear(a.node, a.type, ev.eventTime);
    // A clear that arrived before its raise (UDP reorders) is applied now.
    if (held && held.ev.eventTime >= ev.eventTime) {
      this.unhold(key);
      out.push(this.clearAlarm(a, held.ev));
    }
    return out;
  }

  private clear(ev: AlarmEvent, now: number): LedgerChange[] {
    this.stats.clears++;
    const key = alarmKey(ev.node, ev.object, ev.type);
    const a = this.active.get(key);
    if (!a) {
      this.stats.heldClears++;
      this.hold({ key, ev, until: now + this.reopenWindow });
      return [];
    }
    if (ev.eventTime < a.raisedAt) {
      this.stats.staleClears++;
      return [];
    }
    return [this.clearAlarm(a, ev)];
  }

  private clearAlarm(a: Alarm, ev: AlarmEvent): LedgerChange {
    a.state = 'cleared';
    a.clearedAt = Math.max(ev.eventTime, a.raisedAt);
    if (ev.origin === 'resync') a.clearedBy = 'resync';
    // The manager reaches the node again: it is alive.
    if (a.type === 'NE-UNREACHABLE') this.heard.set(a.node, Math.max(this.heard.get(a.node) ?? -Infinity, a.clearedAt));
    this.deactivate(a);
    return { kind: 'cleared', alarm: a };
  }

  /** Keeps a clear until its raise comes (live, and restart: the same code). */
  private hold(h: HeldClear): void {
    this.heldClears.delete(h.key);
    this.heldClears.set(h.key, { ev: h.ev, until: h.until });
    this.heldChanged.set(h.key, h);
  }

  private unhold(key: string): void {
    this.heldClears.delete(key);
    this.heldChanged.set(key, null);
  }

  /** The held clears kept or dropped since the last call (the store writes them). */
  takeHeldChanges(): HeldClearChange[] {
    if (!this.heldChanged.size) return [];
    const out = [...this.heldChanged].map(([key, held]) => ({ key, held }));
    this.heldChanged = new Map();
    return out;
  }

  /** Restart: the clears still waiting for their raise, each keeping its deadline. */
  restoreHeld(held: readonly HeldClear[]): void {
    for (const h of [...held].sort((x, y) => x.until - y.until)) this.hold(h);
    this.heldChanged.clear();
  }

  private hear(node: string, type: string, at: number): void {
    if (layerOf(type) === 'management') return;
    if (at > (this.heard.get(node) ?? -Infinity)) this.heard.set(node, at);
  }

  private activate(a: Alarm): void {
    this.active.set(a.key, a);
    addTo(this.activeByNodeType, `${a.node}|${a.type}`, a);
    addTo(this.activeByNode, a.node, a);
  }

  private deactivate(a: Alarm): void {
    if (this.active.get(a.key) === a) this.active.delete(a.key);
    delFrom(this.activeByNodeType, `${a.node}|${a.type}`, a);
    delFrom(this.activeByNode, a.node, a);
  }

  /** Rebuilds the ledger from persisted alarms (restart). */
  restore(views: AlarmView[]): Alarm[] {
    const out: Alarm[] = [];
    for (const v of views) {
      const { port, channel } = this.graph.splitObject(v.node, v.object);
      const n = Number(v.id.slice(4));
      const a: Alarm = {
        n,
        id: v.id,
        key: alarmKey(v.node, v.object, v.type),
        node: v.node,
        object: v.object,
        port,
        channel,
        type: v.type,
        vendorName: v.vendorName,
        severity: v.severity,
        state: v.state,
        raisedAt: Date.parse(v.raisedAt),
        clearedAt: v.clearedAt ? Date.parse(v.clearedAt) : null,
        count: v.count,
        incidentId: v.incidentId,
        suppressed: v.suppressed,
        flapping: v.flapping,
        due: v.holdDownUntil ? Date.parse(v.holdDownUntil) : null,
        raises: [Date.parse(v.raisedAt)],
        text: v.text,
        clearedBy: v.clearedBy,
      };
      this.byId.set(a.id, a);
      this.seq = Math.max(this.seq, n);
      const prev = this.lastByKey.get(a.key);
      if (!prev || prev.n < a.n) this.lastByKey.set(a.key, a);
      if (a.state === 'active') this.activate(a);
      this.hear(a.node, a.type, a.raisedAt);
      if (a.type === 'NE-UNREACHABLE' && a.clearedAt != null)
        this.heard.set(a.node, Math.max(this.heard.get(a.node) ?? -Infinity, a.clearedAt));
      out.push(a);
    }
    return out;
  }

  view(a: Alarm): AlarmView {
    return {
      id: a.id,
      node: a.node,
      object: a.object,
      type: a.type,
      vendorName: a.vendorName,
      severity: a.severity,
      state: a.state,
      raisedAt: iso(a.raisedAt),
      clearedAt: a.clearedAt != null ? iso(a.clearedAt) : null,
      count: a.count,
      incidentId: a.incidentId,
      suppressed: a.suppressed,
      flapping: a.flapping,
      ...(a.text ? { text: a.text } : {}),
      ...(a.clearedBy ? { clearedBy: a.clearedBy } : {}),
      ...(a.due != null ? { holdDownUntil: iso(a.due) } : {}),
    };
  }
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function delFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (!s.size) m.delete(k);
}

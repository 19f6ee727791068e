// EMS alarm resynchronisation: the EMS's synchronisation notifications (Huawei V1
// hwNmNorthboundEventSynchronization start / query result / end, iMAP query begin / rows / end)
// list its NEs' active alarms. Like the table walk for polled NEs, they reconcile ringguard's
// view: a row for an alarm not active raises it, a row for an active alarm changes nothing
// (no duplicate), and at a complete end every active alarm of that EMS's NEs that no row named
// (and that was not raised live during the sync) is cleared as missed.
import type { Logger } from 'pino';
import { alarmKey, resyncClear, type AlarmEvent, type CanonicalEvent } from '../../core/alarms/events.js';

export interface EmsResyncDeps {
  /** Active alarms of a node (the ledger's view). */
  active(node: string): Array<{ object: string; type: string; vendorName: string }>;
  /** Alarms the EMS does not own even on its NEs (the poller's NE-UNREACHABLE of a polled NE). */
  foreign?(node: string, type: string): boolean;
  /** NEs configured as managed by this EMS. */
  configuredNodes?(ems: string): string[];
  sink(ev: AlarmEvent): void;
  now(): number;
  logger?: Logger;
}

interface Run {
  startedAt: number;
  rows: Set<string>;
  nodes: Set<string>;
  /** Alarms raised live by this EMS while the sync ran: never cleared by it. */
  live: Set<string>;
}

const EMS_OWN = new Set(['EMS-LINK-DOWN']);

export class EmsResync {
  private readonly nodesOf = new Map<string, Set<string>>();
  private readonly runs = new Map<string, Run>();
  readonly stats = { syncs: 0, incomplete: 0, raised: 0, cleared: 0, rows: 0 };

  constructor(private readonly deps: EmsResyncDeps) {}

  /** Every live event: remembers which NEs each EMS reports for. */
  observe(ev: CanonicalEvent): void {
    if ((ev.kind !== 'raise' && ev.kind !== 'clear') || !ev.ems) return;
    this.noteNode(ev.ems, ev.node);
    if (ev.kind === 'raise') this.runs.get(ev.ems)?.live.add(alarmKey(ev.node, ev.object, ev.type));
  }

  start(ems: string): void {
    this.runs.set(ems, { startedAt: this.deps.now(), rows: new Set(), nodes: new Set(), live: new Set() });
    this.deps.logger?.info({ ems }, 'EMS alarm synchronisation started');
  }

  row(ems: string, ev: AlarmEvent): void {
    if (!this.runs.has(ems)) this.start(ems); // the start notification was lost: the rows still count
    const run = this.runs.get(ems)!;
    this.stats.rows++;
    const key = alarmKey(ev.node, ev.object, ev.type);
    run.nodes.add(ev.node);
    const isActive = this.deps.active(ev.node).some((a) => a.object === ev.object && a.type === ev.type);
    if (ev.kind === 'clear') {
      if (isActive) this.emit({ ...ev, ems, origin: 'resync' });
      return;
    }
    run.rows.add(key);
    if (!isActive) {
      this.stats.raised++;
      this.emit({ ...ev, ems, origin: 'resync' });
    }
  }

  end(ems: string, complete: boolean): void {
    const run = this.runs.get(ems);
    this.runs.delete(ems);
    if (!run) return;
    if (!complete) {
      this.stats.incomplete++;
      this.deps.logger?.warn(
        { ems, rows: run.rows.size },
        'EMS alarm synchronisation stopped or failed: nothing cleared',
      );
      return;
    }
    this.stats.syncs++;
    const scope = new Set([
      ...(this.nodesOf.get(ems) ?? []),
      ...run.nodes,
      ...(this.deps.configuredNodes?.(ems) ?? []),
    ]);
    let cleared = 0;
    const now = this.deps.now();
    for (const node of scope) {
      for (const a of this.deps.active(node)) {
        const key = alarmKey(node, a.object, a.type);
        if (run.rows.has(key) || run.live.has(key) || EMS_OWN.has(a.type) || this.deps.foreign?.(node, a.type))
          continue;
        cleared++;
        this.emit(resyncClear(node, a, now, { ems }));
      }
    }
    this.stats.cleared += cleared;
    this.deps.logger?.info(
      { ems, rows: run.rows.size, nodes: scope.size, cleared },
      'EMS alarm synchronisation reconciled',
    );
  }

  private noteNode(ems: string, node: string): void {
    const nodes = this.nodesOf.get(ems);
    if (nodes) nodes.add(node);
    else this.nodesOf.set(ems, new Set([node]));
  }

  private emit(ev: AlarmEvent): void {
    this.noteNode(ev.ems!, ev.node);
    this.deps.sink(ev);
  }
}

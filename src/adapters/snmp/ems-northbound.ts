// Wires the EMS northbound side of the trap receiver: EMS signals (keepalives, sync start /
// rows / end) go to the link monitor and the resync; canonical events go on to the pipeline,
// seen on the way so a resync knows which NEs each EMS reports for.
import type { SchedulerLike } from 'rxjs';
import type { Logger } from 'pino';
import type { EmsConfig } from '../../cli/config.js';
import type { CanonicalEvent } from '../../core/alarms/events.js';
import type { TopologyGraph } from '../../core/topology/graph.js';
import { EmsLinkMonitor, EMS_LINK_DOWN } from './ems-link.js';
import { EmsResyncRequester, type EmsAgent } from './ems-request.js';
import { EmsResync } from './ems-resync.js';
import type { EmsNaming, IngestEvent } from './mapping.js';

export interface EmsNorthboundDeps {
  graph: TopologyGraph;
  scheduler: SchedulerLike;
  /** Active alarms of a node (the ledger). */
  active(node: string): Array<{ object: string; type: string; vendorName: string }>;
  push(ev: CanonicalEvent): void;
  logger?: Logger;
}

export class EmsNorthbound {
  readonly link: EmsLinkMonitor;
  readonly resync: EmsResync;
  readonly requester: EmsResyncRequester;
  private readonly push: (ev: CanonicalEvent) => void;

  constructor(
    readonly cfg: EmsConfig,
    deps: EmsNorthboundDeps,
  ) {
    this.push = deps.push;
    this.link = new EmsLinkMonitor(
      {
        periodMs: cfg.keepaliveMs,
        misses: cfg.keepaliveMisses,
        scheduler: deps.scheduler,
        logger: deps.logger,
        isDown: (ems) => deps.active(ems).some((a) => a.type === EMS_LINK_DOWN),
        onUp: (ems) => void this.requestResync(ems, 'NBI link up again'),
      },
      deps.push,
    );
    const agents = new Map<string, EmsAgent>();
    for (const s of cfg.systems) if (s.agent) agents.set(s.id, { host: s.host, ...s.agent });
    this.requester = new EmsResyncRequester(agents, {
      minIntervalMs: Math.min(30_000, cfg.keepaliveMs * cfg.keepaliveMisses),
      now: () => deps.scheduler.now(),
      logger: deps.logger,
    });
    const configured = new Map(cfg.systems.map((s) => [s.id, s.nodes]));
    this.resync = new EmsResync({
      active: deps.active,
      // The poller's NE-UNREACHABLE of a polled NE is its own, not the EMS's.
      foreign: (node, type) =>
        type === 'NE-UNREACHABLE' && !!(deps.graph.nodes.get(node)?.mgmt ?? deps.graph.equipment.get(node)?.mgmt),
      configuredNodes: (ems) => configured.get(ems) ?? [],
      sink: deps.push,
      now: () => deps.scheduler.now(),
      logger: deps.logger,
    });
  }

  /** Starts watching the configured EMSes (once the trap socket listens), and asks them for their alarms. */
  start(): void {
    for (const s of this.cfg.systems) {
      this.link.expect(s.id);
      void this.requestResync(s.id, 'ringguard started');
    }
  }

  /** An EMS's serials (sender = the EMS id) or an NE's? */
  isEms(sender: string): boolean {
    return this.link.watches(sender) || sender.startsWith('EMS-');
  }

  /** Asks the EMS for an alarm synchronisation, when its agent is configured. */
  requestResync(ems: string, reason: string): Promise<boolean> {
    return this.requester.request(ems, reason);
  }

  /** What the mapper needs: the name map and the known EMSes by address. */
  naming(): EmsNaming {
    return { names: this.cfg.names, systems: this.cfg.systems.map((s) => ({ id: s.id, host: s.host })) };
  }

  /** An EMS being watched (the node of its EMS-LINK-DOWN). */
  knows(id: string): boolean {
    return this.link.watches(id);
  }

  route(ev: IngestEvent): void {
    if (ev.kind !== 'ems') {
      this.resync.observe(ev);
      return this.push(ev);
    }
    switch (ev.signal) {
      case 'heartbeat':
        return this.link.heartbeat(ev.ems, ev.periodMs);
      case 'sync-start':
        return this.resync.start(ev.ems);
      case 'sync-row':
        return this.resync.row(ev.ems, ev.event);
      case 'sync-end':
        return this.resync.end(ev.ems, ev.complete);
    }
  }

  stop(): void {
    this.link.stop();
  }
}

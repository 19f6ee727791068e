// `ringguard serve`: wires the adapters around the pipeline over one database.
// receiver/poller -> pipeline -> SQLite (one transaction per step) -> SSE/metrics; REST reads SQLite.
import type { Registry } from 'prom-client';
import { asyncScheduler, Subject } from 'rxjs';
import type { Logger } from 'pino';
import { withoutRoster } from './adapters/api/duty.js';
import { buildApp, type HealthCheck } from './adapters/api/app.js';
import { ApiError } from './adapters/api/errors.js';
import { TokenAuth } from './adapters/api/auth.js';
import { createMetrics } from './adapters/api/metrics.js';
import { loadRosterOrThrow, rosterPath } from './adapters/files/roster-file.js';
import { loadTopologyOrThrow } from './adapters/files/topology-file.js';
import type { TopologyGraph } from './core/topology/graph.js';
import { planReload, type ReloadResult } from './topology-reload.js';
import { NotifyHub } from './adapters/notify/hub.js';
import { EmsNorthbound } from './adapters/snmp/ems-northbound.js';
import { Mapper, type IngestEvent } from './adapters/snmp/mapping.js';
import { Poller } from './adapters/snmp/poller.js';
import { TrapIngest } from './adapters/snmp/ingest.js';
import { FirstSeen } from './adapters/snmp/first-seen.js';
import { Store } from './adapters/store/sqlite.js';
import { loadWorksFile } from './adapters/files/maintenance-file.js';
import { dutyNow } from './core/notify/duty.js';
import { ConfigError, EmsConfigSchema, type Config } from './cli/config.js';
import type { CanonicalEvent } from './core/alarms/events.js';
import type { StoredTicket } from './core/tickets/engine.js';
import { BatchWriter } from './pipeline/batch.js';
import { UnknownSenders } from './pipeline/unknown-senders.js';
import { IngestQueue } from './pipeline/ingest-queue.js';
import { Intake, type Queued } from './pipeline/intake.js';
import { Pipeline, type Output } from './pipeline/pipeline.js';

import { VERSION } from './version.js';

export interface Service {
  httpPort: number;
  trapPort: number;
  /** The pipeline now (a topology reload replaces it). */
  readonly pipeline: Pipeline;
  store: Store;
  /** The metric registry `GET /metrics` serves (docs/metrics.md is rendered from it). */
  metrics: Registry;
  /** Reads the topology file again and swaps it in, or changes nothing and says why (SIGHUP, POST /api/v1/topology/reload). */
  reloadTopology(): ReloadResult;
  /** Traps decoded so far, events waiting for the pipeline, alarms in hold-down. */
  progress(): { trapsReceived: number; queued: number; pending: number };
  stop(): Promise<void>;
}

export async function startService(
  cfg: Config,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Service> {
  const started = Date.now();
  let graph = loadTopologyOrThrow(cfg.topology);
  // Bad tokens or mapping rules are bad configuration: exit 2 like any other bad value.
  const auth = asConfig(() => new TokenAuth(env.RINGGUARD_API_TOKENS));
  // A broken mappings file or MIB stops the start here, before anything is opened (the
  // receiver worker loads the same rules).
  const emsCfg = cfg.ems ?? EmsConfigSchema.parse({});
  asConfig(
    () => new Mapper(graph, cfg.mappings ? [cfg.mappings] : [], { names: emsCfg.names, systems: emsCfg.systems }),
  );
  const roster = cfg.roster ? loadRosterOrThrow(rosterPath(cfg.roster, cfg.configDir)) : null;
  // A broken works file stops the start here too, every problem with its path.
  const works = cfg.maintenance ? loadWorksFile(cfg.maintenance, graph, cfg.maintenanceMaxMs) : [];
  const store = new Store(cfg.db);
  // The engines are restored from the database, at start and after a topology reload alike.
  const restore = (g: TopologyGraph) => {
    const state = store.loadState();
    const p = new Pipeline(g, asyncScheduler, cfg, {
      alarms: state.alarms,
      incidents: state.incidents,
      circuits: state.circuits,
      tickets: state.tickets as StoredTicket[],
      heldClears: state.heldClears,
      ids: store.maxIds(),
      windows: store.liveWindows(),
    });
    store.retainCircuits(new Set(g.circuits.keys()));
    if (p.initialCircuits.length) store.writeBatch({ circuits: p.initialCircuits });
    return { p, state };
  };
  const restored = restore(graph);
  const state = restored.state;
  let pipeline = restored.p;

  const events$ = new Subject<Output>();
  const counters = { restarts: store.restartCount() };
  const openLogged = new Set(state.incidents.filter((i) => i.state === 'open').map((i) => i.id));
  let receiver: TrapIngest | null = null;
  const metrics = createMetrics(
    {
      trapsReceived: () => receiver?.stats.received ?? 0,
      informs: () => receiver?.stats.informs ?? 0,
      rejected: () => ({
        malformed: 0,
        'bad-community': 0,
        'auth-failure': 0,
        unsupported: 0,
        ...(receiver?.stats.rejected ?? {}),
        incomplete: (receiver?.stats.rejected.incomplete ?? 0) + pipeline.counters.invalid,
      }),
      unmapped: () => receiver?.stats.unmapped ?? 0,
      unknownNames: () => receiver?.stats.unknownNames ?? 0,
      duplicates: () => ({ serial: pipeline.counters.duplicates, alarm: pipeline.ledger.stats.duplicates }),
      kernelDrops: () => receiver?.stats.kernelDrops ?? 0,
      recvBufferBytes: () => receiver?.bufferBytes ?? 0,
      alarmsActive: () => store.counts().alarmsActive,
      incidentsOpen: () => store.counts().incidentsOpen,
      circuitsByState: () => countBy(store.db, 'SELECT state k, COUNT(*) c FROM circuits GROUP BY state'),
      ticketsByPriority: () =>
        countBy(
          store.db,
          `SELECT json_extract(body, '$.priority') k, COUNT(*) c FROM tickets WHERE state != 'closed' GROUP BY k`,
        ),
      pollFailures: () => poller.stats.failures,
      restarts: () => counters.restarts,
      queueDepth: () => queue.depth,
      queueDropped: () => queue.dropped,
      receiverRestarts: () => receiver?.restarts ?? 0,
      unknownSenders: () => unknown.notifications,
      storeWriteFailures: () => persist.stats.failures + intake.stats.failures,
      ingestRefused: () => intake.stats.refused,
    },
    { version: VERSION },
  );

  let pageUrl: string | null = cfg.notify?.pageUrl ?? null;
  const notify = new NotifyHub({
    store,
    config: cfg.notify,
    roster,
    registry: metrics.registry,
    logger,
    pageUrl: () => pageUrl,
    // Each message delivered or given up goes into the journal of the tickets it was about.
    onSettled: (tickets, text) => {
      for (const ticket of tickets)
        persist.after(pipeline.command({ kind: 'journal', ticket, by: 'ringguard', action: 'notified', text }));
    },
  });
  notify.restore(state.tickets as StoredTicket[]);

  // A watched EMS is known too: its EMS-LINK-DOWN is correlated (declared below; called only once events flow).
  const unknown = new UnknownSenders(
    (node) => graph.nodes.has(node) || graph.equipment.has(node) || ems.knows(node),
    store.unknownSenders(),
    logger,
  );
  // Persist and publish in batches: everything the pipeline produced in one turn of the event
  // loop (a burst of datagrams) goes to SQLite in one transaction, newest view per id.
  // Events journalled by the intake; the row of the last one processed is deleted with the
  // batch that holds its results.
  let processedIntake = 0;
  const persist = new BatchWriter(
    (o) => {
      store.writeBatch({
        unknownSenders: unknown.changed(),
        intakeDone: processedIntake,
        alarms: o.alarms,
        incidents: o.incidents,
        circuits: o.circuits,
        tickets: o.tickets,
        windows: o.windows,
        heldClears: o.heldClears,
        restarts: o.restarts.map((r) => ({
          node: r.node,
          reason: r.kind === 'restart' ? r.reason : 'restart',
          at: r.eventTime,
        })),
        notify: notify.decide(o.tickets),
      });
      unknown.written();
      notify.afterWrite();
      counters.restarts += o.restarts.length;
      for (const r of o.restarts)
        logger.info({ node: r.node, reason: r.kind === 'restart' ? r.reason : '' }, 'NE restart');
      for (const i of o.incidents) {
        const where = [...i.spans, ...i.nodes, ...i.sites, ...i.accessLinks, ...i.equipment].slice(0, 4);
        if (i.state === 'open' && !openLogged.has(i.id)) {
          openLogged.add(i.id);
          logger.info(
            {
              incident: i.id,
              kind: i.kind,
              where,
              alarms: i.alarmCount,
              circuits: i.affectedCircuits.length,
              ticket: i.ticketId,
            },
            'incident opened',
          );
        } else if (i.state === 'cleared' && openLogged.delete(i.id)) {
          logger.info(
            { incident: i.id, kind: i.kind, mergedInto: i.mergedInto ?? undefined },
            i.mergedInto ? 'incident merged' : 'incident cleared',
          );
        }
      }
      events$.next(o);
    },
    20,
    logger,
  );
  // Circuits new to the topology take the state the failures already known give them.
  const evaluateNew = (p: Pipeline) => {
    if (p.initialCircuits.length) p.command({ kind: 'evaluate', circuits: p.initialCircuits.map((c) => c.id) });
  };
  const wire = (p: Pipeline) => {
    p.output$.subscribe((o) => persist.add(o));
    p.gaps$.subscribe(({ sender, node }) => {
      // A gap in an EMS's serials: ask the EMS to synchronise; in an NE's: walk its alarm table.
      if (ems.isEms(sender)) void ems.requestResync(sender, 'serial gap');
      else void poller.resync(node);
    });
  };
  wire(pipeline);
  evaluateNew(pipeline);
  /**
   * A person's action (ack, close, note, switchover, planned work) while the database cannot be
   * written is refused with 503 before anything changes: a NOC must not be told "done" for what
   * a restart would forget. Should the disk fail during the action's own write, the change is
   * kept and written when the disk recovers, and the answer says so (503 too).
   */
  const durably = <T>(apply: () => T): T => {
    const down = persist.writable() ? storeHealth(persist, intake).error : persist.failing;
    if (down)
      throw new ApiError(
        'UNAVAILABLE',
        `the database cannot be written (${down}): nothing was changed; try again when /api/v1/health shows the store ok`,
      );
    const result = persist.after(apply());
    if (persist.failing)
      throw new ApiError(
        'UNAVAILABLE',
        `the database failed while writing this change (${persist.failing}): it is kept in memory and written when the disk recovers, but a restart before then loses it; check it later`,
      );
    return result;
  };
  // Decide whatever was still in hold-down when the service last stopped.
  pipeline.tick();
  persist.flush();
  // Planned works scheduled in the works file: each reference once; those already over are skipped.
  if (works.length) {
    for (const w of works) {
      if ((w.reference && store.windowByReference(w.reference)) || w.to <= asyncScheduler.now()) continue;
      const r = pipeline.command({ kind: 'maintenance-create', window: w });
      if (r.ok && 'window' in r)
        logger.info(
          { window: r.window.id, reference: w.reference, from: r.window.from, to: r.window.to },
          'planned works loaded',
        );
    }
    persist.flush();
  }

  // Notifications go through the EMS northbound watch first; poller events straight on.
  const queue = new IngestQueue<Queued>(({ ev, n, trap }) => {
    if (n) {
      processedIntake = n;
      persist.poke();
    }
    if (trap) ems.route(ev);
    else correlate(ev as CanonicalEvent);
  });
  const correlate = (ev: CanonicalEvent) => {
    if (!unknown.admit(ev)) return persist.poke();
    pipeline.push(ev);
    if (ev.receivedAt) metrics.latency.observe((Date.now() - ev.receivedAt) / 1000);
  };
  const poller = new Poller(
    graph,
    { intervalMs: cfg.pollIntervalMs, misses: cfg.pollMisses, logger },
    (ev) => queue.push({ ev, n: 0 }),
    (node) => pipeline.ledger.activeOfNode(node),
  );
  // EMS northbound: keepalive watch (EMS-LINK-DOWN) and alarm resync; other events go on to correlation.
  const ems = new EmsNorthbound(emsCfg, {
    get graph() {
      return graph;
    },
    scheduler: asyncScheduler,
    logger,
    active: (n) => pipeline.ledger.activeOfNode(n),
    push: (ev) => correlate(ev),
  });
  const intake = new Intake(
    store,
    (q) => queue.push(q),
    logger,
    () => persist.backlog > MAX_UNWRITTEN,
  );
  // Events journalled but not processed before a crash: processed now, before any new one.
  const replay = store.journalled<IngestEvent>();
  if (replay.length) logger.warn({ events: replay.length }, 'processing events journalled before an unclean stop');
  for (const q of replay) queue.push({ ...q, trap: true });

  // Validate the file, clear what left the network by the topology that knew it, then restore
  // the engines on the new one: one synchronous turn, so no event sees half of each.
  const reloadTopology = (): ReloadResult => {
    const plan = planReload(cfg.topology, graph, (g) =>
      asConfig(
        () => new Mapper(g, cfg.mappings ? [cfg.mappings] : [], { names: emsCfg.names, systems: emsCfg.systems }),
      ),
    );
    if (!plan.ok) {
      logger.error({ file: cfg.topology, problems: plan.problems }, 'topology reload refused: nothing changed');
      return plan;
    }
    const now = asyncScheduler.now();
    for (const ev of plan.clears(pipeline.ledger, now)) pipeline.push(ev);
    pipeline.tick();
    persist.flush();
    const old = pipeline;
    old.close();
    graph = plan.graph;
    pipeline = restore(graph).p;
    Object.assign(pipeline.counters, old.counters);
    Object.assign(pipeline.ledger.stats, old.ledger.stats);
    wire(pipeline);
    evaluateNew(pipeline);
    poller.setTopology(graph);
    receiver?.setTopology(graph);
    pipeline.tick();
    persist.flush();
    if (pipeline.initialCircuits.length)
      events$.next({
        at: now,
        alarms: [],
        incidents: [],
        circuits: pipeline.initialCircuits,
        tickets: [],
        restarts: [],
      });
    logger.info({ file: cfg.topology, summary: graph.summary(), ...plan.diff }, 'topology reloaded');
    return { ok: true, summary: graph.summary(), ...plan.diff };
  };

  const app = await buildApp({
    store,
    get graph() {
      return graph;
    },
    topology: { reload: reloadTopology },
    events$,
    metrics,
    auth,
    version: VERSION,
    uptimeS: () => (Date.now() - started) / 1000,
    unknownSenders: () => unknown.list(),
    unmapped: () => receiver?.unmapped.list() ?? [],
    health: () => ({ receiver: receiverHealth(receiver), store: storeHealth(persist, intake) }),
    duty: {
      ...withoutRoster(store),
      dutyNow: () => dutyNow(roster, Date.now()),
      contacts: (group) => notify.contacts(group),
      rosterLoaded: !!roster,
    },
    // Commands write through at once, so the caller's next read sees them; a person's action is
    // stored or refused, never only held in memory (durably).
    commands: {
      confirm: (circuit, by, note, to) =>
        durably(() => pipeline.command({ kind: 'confirm', circuit, by, note, to })) as never,
      ack: (ticket, by) => durably(() => pipeline.command({ kind: 'ack', ticket, by })) as never,
      close: (ticket, by, note) => durably(() => pipeline.command({ kind: 'close', ticket, by, note })) as never,
      note: (ticket, by, text) => durably(() => pipeline.command({ kind: 'note', ticket, by, text })) as never,
      // An alarm the pipeline has forgotten (cleared long ago) is acknowledged from its stored view.
      ackAlarm: (alarm, by) =>
        durably(() => pipeline.command({ kind: 'ack-alarm', alarm, by, view: store.getAlarm(alarm) })) as never,
    },
    audit: (line) => logger.info(line, 'audit'),
    maintenance: {
      store,
      get graph() {
        return graph;
      },
      maxMs: cfg.maintenanceMaxMs,
      now: () => asyncScheduler.now(),
      create: (window) => durably(() => pipeline.command({ kind: 'maintenance-create', window })) as never,
      end: (id, by) =>
        durably(() =>
          pipeline.command({ kind: 'maintenance-end', window: id, by, stored: store.getWindow(id) }),
        ) as never,
    },
  });
  if (!auth.enabled && !isLoopback(cfg.httpHost)) {
    logger.warn(
      { httpHost: cfg.httpHost },
      'RINGGUARD_API_TOKENS is not set: the API is open to anyone who can reach this address',
    );
  }

  // Decoding and mapping run in a worker thread; the events come back in batches.
  const firstSeen = new FirstSeen(logger);
  receiver = new TrapIngest(
    graph,
    {
      receiver: {
        host: cfg.trapHost,
        port: cfg.trapPort,
        communities: cfg.snmp.communities,
        users: cfg.snmp.users,
        recvBufferBytes: cfg.snmp.recvBufferBytes,
      },
      mappings: cfg.mappings ? [cfg.mappings] : [],
      ems: ems.naming(),
      logLevel: cfg.logLevel,
      logger,
    },
    (events, answer) => {
      for (const ev of events) firstSeen.note(ev);
      intake.accept(events, answer);
    },
  );

  let trapPort: number;
  try {
    await app.listen({ host: cfg.httpHost, port: cfg.httpPort });
    trapPort = await receiver.start();
  } catch (e) {
    await app.close().catch(() => undefined);
    await receiver.close();
    pipeline.close();
    store.close();
    throw e;
  }
  const addr = app.server.address();
  const httpPort = typeof addr === 'object' && addr ? addr.port : cfg.httpPort;
  if (receiver.bufferBytes && receiver.bufferBytes < cfg.snmp.recvBufferBytes) {
    logger.warn(
      { asked: cfg.snmp.recvBufferBytes, got: receiver.bufferBytes },
      'trap socket receive buffer is smaller than asked (raise net.core.rmem_max); bursts may be dropped and are counted in ringguard_kernel_drops_total',
    );
  }
  poller.start();
  pageUrl ??= `http://${cfg.httpHost.includes(':') ? `[${cfg.httpHost}]` : cfg.httpHost}:${httpPort}/`;
  notify.start();
  ems.start();
  logger.info(
    {
      httpPort,
      trapPort,
      network: graph.network,
      circuits: graph.circuits.size,
      recvBufferBytes: receiver.bufferBytes,
      polled: poller.size,
    },
    'listening',
  );

  let stopped = false;
  return {
    metrics: metrics.registry,
    httpPort,
    trapPort,
    get pipeline() {
      return pipeline;
    },
    store,
    reloadTopology,
    progress: () => ({
      trapsReceived: receiver!.stats.received,
      queued: queue.depth,
      pending: pipeline.correlator.pendingCount(),
    }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await receiver!.close();
      poller.stop();
      ems.stop();
      intake.commit();
      queue.flush();
      persist.flush();
      events$.complete();
      await notify.stop();
      await app.close();
      pipeline.close();
      store.close();
    },
  };
}

function asConfig<T>(make: () => T): T {
  try {
    return make();
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

/** Unwritten changes kept in memory while the database is busy or full; beyond, intake refuses. */
const MAX_UNWRITTEN = 200_000;

/** Degraded while writes fail (busy or full disk): what is waiting, and the error. */
function storeHealth(persist: BatchWriter, intake: Intake): HealthCheck {
  const error = persist.failing ?? (Date.now() - intake.failedAt < 3000 ? intake.failing : null);
  return {
    status: error ? 'degraded' : 'ok',
    error,
    unwritten: persist.backlog,
    refused: intake.stats.refused,
    writeFailures: persist.stats.failures + intake.stats.failures,
  };
}

/** Degraded for a minute after the receiver thread had to be restarted. */
function receiverHealth(r: TrapIngest | null): HealthCheck {
  const recent = !!r?.lastRestart && Date.now() - r.lastRestart.at < 60_000;
  return {
    status: recent ? 'degraded' : 'ok',
    restarts: r?.restarts ?? 0,
    lastRestart: r?.lastRestart ? { at: new Date(r.lastRestart.at).toISOString(), reason: r.lastRestart.reason } : null,
  };
}

function countBy(db: Store['db'], sql: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of db.prepare(sql).all() as Array<{ k: string; c: number }>) out[r.k] = r.c;
  return out;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1';
}

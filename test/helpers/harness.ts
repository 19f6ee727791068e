// Runs the real pipeline on virtual time (RxJS VirtualTimeScheduler) and keeps the latest
// view of everything it published.
import { VirtualTimeScheduler } from 'rxjs';
import { loadTopologyOrThrow } from '../../src/adapters/files/topology-file.js';
import { Store } from '../../src/adapters/store/sqlite.js';
import type { AlarmEvent, CanonicalEvent } from '../../src/core/alarms/events.js';
import { canonicalType, defaultSeverity } from '../../src/core/alarms/catalogue.js';
import type { AlarmView, CircuitView, IncidentView } from '../../src/core/model.js';
import type { StoredTicket } from '../../src/core/tickets/engine.js';
import type { TopologyGraph } from '../../src/core/topology/graph.js';
import { Pipeline, type PipelineOptions, type RestoreState } from '../../src/pipeline/pipeline.js';
import type { Command } from '../../src/pipeline/stages.js';

export const DEMO = new URL('../../fixtures/demo-network.yaml', import.meta.url).pathname;

export const DEFAULTS: PipelineOptions = {
  holdDownMs: 2500,
  switchTimeoutMs: 10_000,
  wtrMs: 300_000,
  escalateAfterMs: 900_000,
};

export function advanceTo(s: VirtualTimeScheduler, t: number): void {
  if (t < s.now()) return;
  s.schedule(() => undefined, t - s.now());
  s.maxFrames = t;
  s.flush();
}

const graphs = new Map<string, TopologyGraph>();

export class Harness {
  readonly scheduler = new VirtualTimeScheduler();
  pipeline: Pipeline;
  readonly alarms = new Map<string, AlarmView>();
  readonly incidents = new Map<string, IncidentView>();
  readonly circuits = new Map<string, CircuitView>();
  readonly tickets = new Map<string, StoredTicket>();
  /** Every incident and ticket id ever published (across restarts). */
  readonly opened = { incidents: new Set<string>(), tickets: new Set<string>() };
  private readonly opts: PipelineOptions;
  private store: Store | null = null;

  /** Topology files parsed once per test file. */
  static loadGraph(file: string): TopologyGraph {
    let g = graphs.get(file);
    if (!g) graphs.set(file, (g = loadTopologyOrThrow(file)));
    return g;
  }

  constructor(
    readonly graph: TopologyGraph = loadTopologyOrThrow(DEMO),
    opts: Partial<PipelineOptions> = {},
    restore?: RestoreState,
    startAt = 0,
  ) {
    if (startAt) advanceTo(this.scheduler, startAt);
    this.opts = { ...DEFAULTS, ...opts };
    this.pipeline = this.open(restore);
  }

  private open(restore?: RestoreState): Pipeline {
    const p = new Pipeline(this.graph, this.scheduler, this.opts, restore);
    for (const c of p.initialCircuits) this.circuits.set(c.id, c);
    p.output$.subscribe((o) => {
      for (const a of o.alarms) this.alarms.set(a.id, a);
      for (const i of o.incidents) {
        this.incidents.set(i.id, i);
        this.opened.incidents.add(i.id);
      }
      for (const c of o.circuits) this.circuits.set(c.id, c);
      for (const t of o.tickets) {
        this.tickets.set(t.id, { ...t });
        this.opened.tickets.add(t.id);
      }
    });
    return p;
  }

  /** Writes everything the pipeline publishes to a store, as the service does (unbatched). */
  persistTo(store: Store): this {
    store.writeBatch({ circuits: this.pipeline.initialCircuits });
    this.pipeline.output$.subscribe((o) =>
      store.writeBatch({
        alarms: o.alarms,
        incidents: o.incidents,
        circuits: o.circuits,
        tickets: o.tickets,
        windows: o.windows,
        heldClears: o.heldClears,
      }),
    );
    return this;
  }

  /** Persists to a SQLite file, which `restart` reopens. */
  persistFile(file: string): this {
    this.store = new Store(file);
    return this.persistTo(this.store);
  }

  /**
   * Stops the pipeline and the database, reopens the same file and starts a new pipeline from
   * what it holds, as `ringguard serve` does on start; the views are reloaded from the file.
   */
  restart(): void {
    if (!this.store) throw new Error('restart needs persistFile()');
    const file = this.store.file;
    this.pipeline.close();
    this.store.close();
    this.store = new Store(file);
    const state = this.store.loadState();
    this.pipeline = this.open({
      ...state,
      tickets: state.tickets as StoredTicket[],
      ids: this.store.maxIds(),
      windows: this.store.liveWindows(),
    });
    this.persistTo(this.store);
    for (const m of [this.alarms, this.incidents, this.circuits, this.tickets]) m.clear();
    const all = <T>(table: string) =>
      (this.store!.db.prepare(`SELECT body FROM ${table}`).all() as Array<{ body: string }>).map(
        (r) => JSON.parse(r.body) as T,
      );
    for (const a of all<AlarmView>('alarms')) this.alarms.set(a.id, a);
    for (const i of all<IncidentView>('incidents')) this.incidents.set(i.id, i);
    for (const c of all<CircuitView>('circuits')) this.circuits.set(c.id, c);
    for (const t of all<StoredTicket>('tickets')) this.tickets.set(t.id, t);
    this.pipeline.tick();
  }

  close(): void {
    this.pipeline.close();
    this.store?.close();
  }

  get holdDownMs(): number {
    return this.opts.holdDownMs;
  }
  get now(): number {
    return this.scheduler.now();
  }
  advance(ms: number): void {
    advanceTo(this.scheduler, this.now + ms);
  }
  at(t: number): void {
    advanceTo(this.scheduler, t);
  }
  push(ev: CanonicalEvent): void {
    this.pipeline.push(ev);
  }
  alarm(
    kind: 'raise' | 'clear',
    node: string,
    object: string,
    name: string,
    eventTime = this.now,
    extra: Partial<AlarmEvent> = {},
  ): void {
    const type = canonicalType(name);
    this.push({
      kind,
      node,
      object,
      type,
      vendorName: name,
      severity: kind === 'clear' ? 'cleared' : defaultSeverity(type),
      eventTime,
      ...extra,
    });
  }
  raise(node: string, object: string, name: string, eventTime?: number): void {
    this.alarm('raise', node, object, name, eventTime);
  }
  clear(node: string, object: string, name: string, eventTime?: number): void {
    this.alarm('clear', node, object, name, eventTime);
  }
  switch(node: string, object: string, state: 'toProtection' | 'toWorking' | 'failed'): void {
    this.push({ kind: 'switch', node, object, state, eventTime: this.now });
  }
  command(cmd: Command) {
    return this.pipeline.command(cmd);
  }
  /** Incidents that stand on their own (not merged into another). */
  liveIncidents(): IncidentView[] {
    return [...this.incidents.values()].filter((i) => !i.mergedInto);
  }
  ticketOf(incidentId: string): StoredTicket | undefined {
    return [...this.tickets.values()].find((t) => t.incidentId === incidentId);
  }
}

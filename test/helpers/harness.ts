// Runs the real pipeline on virtual time (RxJS VirtualTimeScheduler) and keeps the latest
// view of everything it published.
import { VirtualTimeScheduler } from 'rxjs';
import { loadTopologyOrThrow } from '../../src/adapters/files/topology-file.js';
import type { Store } from '../../src/adapters/store/sqlite.js';
import type { AlarmEvent, CanonicalEvent } from '../../src/core/alarms/events.js';
import { canonicalType, defaultSeverity } from '../../src/core/alarms/catalogue.js';
import type { AlarmView, CircuitView, IncidentView } from '../../src/core/model.js';
import type { StoredTicket } from '../../src/core/tickets/engine.js';
import type { TopologyGraph } from '../../src/core/topology/graph.js';
import { Pipeline, type PipelineOptions, type RestoreState } from '../../src/pipeline/pipeline.js';
import type { Command } from '../../src/pipeline/stages.js';

export const DEMO = new URL('../../fixtures/demo-network.yaml', import.meta.url).pathname;

export const DEFAULTS: PipelineOptions = { holdDownMs: 2500, switchTimeoutMs: 10_000, wtrMs: 300_000, escalateAfterMs: 900_000 };

export function advanceTo(s: VirtualTimeScheduler, t: number): void {
  if (t < s.now()) return;
  s.schedule(() => undefined, t - s.now());
  s.maxFrames = t;
  s.flush();
}

export class Harness {
  readonly scheduler = new VirtualTimeScheduler();
  readonly pipeline: Pipeline;
  readonly alarms = new Map<string, AlarmView>();
  readonly incidents = new Map<string, IncidentView>();
  readonly circuits = new Map<string, CircuitView>();
  readonly tickets = new Map<string, StoredTicket>();

  constructor(readonly graph: TopologyGraph = loadTopologyOrThrow(DEMO), opts: Partial<PipelineOptions> = {}, restore?: RestoreState, startAt = 0) {
    if (startAt) advanceTo(this.scheduler, startAt);
    this.pipeline = new Pipeline(graph, this.scheduler, { ...DEFAULTS, ...opts }, restore);
    for (const c of this.pipeline.initialCircuits) this.circuits.set(c.id, c);
    this.pipeline.output$.subscribe((o) => {
      for (const a of o.alarms) this.alarms.set(a.id, a);
      for (const i of o.incidents) this.incidents.set(i.id, i);
      for (const c of o.circuits) this.circuits.set(c.id, c);
      for (const t of o.tickets) this.tickets.set(t.id, { ...t });
    });
  }

  /** Writes everything the pipeline publishes to a store, as the service does (unbatched). */
  persistTo(store: Store): this {
    store.writeBatch({ circuits: this.pipeline.initialCircuits });
    this.pipeline.output$.subscribe((o) => store.writeBatch({ alarms: o.alarms, incidents: o.incidents, circuits: o.circuits, tickets: o.tickets }));
    return this;
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
  alarm(kind: 'raise' | 'clear', node: string, object: string, name: string, eventTime = this.now, extra: Partial<AlarmEvent> = {}): void {
    const type = canonicalType(name);
    this.push({ kind, node, object, type, vendorName: name, severity: kind === 'clear' ? 'cleared' : defaultSeverity(type), eventTime, ...extra });
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
    return [...this.incidents.values()].filter((i) => !i.detail.mergedInto);
  }
  ticketOf(incidentId: string): StoredTicket | undefined {
    return [...this.tickets.values()].find((t) => t.incidentId === incidentId);
  }
}

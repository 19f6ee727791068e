// Wires the stages: normalise → dedup (serials) → pair (raise/clear, repeats, flapping) →
// correlate (hold-down window, rules) → protect → ticket → publish. Timers of all engines drive one `tick` step scheduled on the injected
// RxJS scheduler, so tests run on virtual time and production on the async scheduler.
import { map, merge, Subject, type SchedulerLike, type Subscription } from 'rxjs';
import type { CanonicalEvent } from '../core/alarms/events.js';
import { AlarmLedger, type HeldClear, type HeldClearChange } from '../core/alarms/ledger.js';
import { AlarmAcks, type AckResult } from '../core/alarms/acks.js';
import { Correlator } from '../core/correlation/engine.js';
import type { AlarmView, CircuitView, IncidentView } from '../core/model.js';
import { ProtectionEngine, type ConfirmResult } from '../core/protection/engine.js';
import { TicketEngine, type StoredTicket, type TicketResult } from '../core/tickets/engine.js';
import type { TopologyGraph } from '../core/topology/graph.js';
import {
  correlate,
  dedupSerial,
  newStep,
  normalise,
  pair,
  protect,
  ticket,
  type Command,
  type Counters,
  type Step,
} from './stages.js';
import { annotateAlarms } from './annotate.js';
import { plan } from './plan.js';
import { MaintenanceEngine, type WindowResult } from '../core/maintenance/engine.js';
import type { MaintenanceView } from '../core/maintenance/window.js';

export interface PipelineOptions {
  holdDownMs: number;
  switchTimeoutMs: number;
  wtrMs: number;
  escalateAfterMs: number;
  flapThreshold?: number;
  flapWindowMs?: number;
  /** How long an incident of consequent alarms only waits for its cause before it opens a ticket (default 3 × hold-down). */
  orphanGraceMs?: number | null;
}

export interface Output {
  at: number;
  alarms: AlarmView[];
  incidents: IncidentView[];
  circuits: CircuitView[];
  tickets: StoredTicket[];
  restarts: CanonicalEvent[];
  /** Planned-works windows created, started or ended. */
  windows?: MaintenanceView[];
  /** Clears held for their raise, kept or done with (persisted so a restart keeps them). */
  heldClears?: HeldClearChange[];
}

export interface RestoreState {
  alarms: AlarmView[];
  incidents: IncidentView[];
  circuits: CircuitView[];
  tickets: StoredTicket[];
  ids?: { alarm: number; incident: number; ticket: number; seq: number };
  /** Planned-works windows not ended yet, and the highest MW number used. */
  windows?: { windows: MaintenanceView[]; max: number };
  /** Clears still waiting for their raise. */
  heldClears?: HeldClear[];
}

export class Pipeline {
  readonly ledger: AlarmLedger;
  readonly correlator: Correlator;
  readonly protection: ProtectionEngine;
  readonly tickets: TicketEngine;
  readonly acks = new AlarmAcks();
  readonly maintenance: MaintenanceEngine;
  readonly counters: Counters = { invalid: 0, duplicates: 0, gaps: 0 };
  private readonly events$ = new Subject<CanonicalEvent>();
  private readonly control$ = new Subject<Step>();
  private readonly out$ = new Subject<Output>();
  readonly output$ = this.out$.asObservable();
  readonly gaps$ = new Subject<{ sender: string; node: string }>();
  private timer: Subscription | null = null;
  private timerAt = Infinity;
  private readonly sub: Subscription;
  /** Circuits in their first state (to persist once on a fresh database). */
  readonly initialCircuits: CircuitView[];

  constructor(
    readonly graph: TopologyGraph,
    readonly scheduler: SchedulerLike,
    opts: PipelineOptions,
    restore?: RestoreState,
  ) {
    const now = () => scheduler.now();
    this.ledger = new AlarmLedger(graph, {
      reopenWindowMs: opts.holdDownMs * 10,
      flapThreshold: opts.flapThreshold,
      flapWindowMs: opts.flapWindowMs,
    });
    this.protection = new ProtectionEngine(graph, opts);
    this.correlator = new Correlator(graph, this.ledger, opts, (c) => this.protection.activePathOf(c));
    this.tickets = new TicketEngine(graph, opts);
    this.maintenance = new MaintenanceEngine(graph);
    // Circuits first: the correlator's restored indexes depend on the path each circuit is on.
    this.initialCircuits = this.protection.init(now(), restore?.circuits ?? []);
    if (restore) {
      this.correlator.restore(this.ledger.restore(restore.alarms), restore.incidents, now());
      this.ledger.restoreHeld(restore.heldClears ?? []);
      this.tickets.restore(restore.tickets);
      this.acks.restore(restore.alarms);
      this.maintenance.restore(restore.windows?.windows ?? [], restore.incidents, now());
      this.maintenance.setBase(restore.windows?.max ?? 0);
      if (restore.ids) {
        this.ledger.setIdBase(restore.ids.alarm);
        this.correlator.setIdBase(restore.ids.incident);
        this.tickets.setBase(restore.ids.ticket, restore.ids.seq);
      }
    }
    if (restore) this.protection.restore(restore.incidents, restore.alarms);

    const events = this.events$.pipe(
      normalise(now, this.counters),
      dedupSerial(this.counters, (sender, node) => this.gaps$.next({ sender, node }), now),
      map((event) => newStep(now(), { event })),
    );
    this.sub = merge(events, this.control$)
      .pipe(
        pair(this.ledger),
        correlate(this.correlator),
        protect(this.protection, this.correlator),
        plan(this.maintenance, this.correlator, this.protection),
        ticket(this.tickets, this.correlator),
        annotateAlarms(this.acks, this.ledger),
      )
      .subscribe((step) => {
        this.publish(step);
        this.schedule();
      });
    this.schedule();
  }

  /** Feed one canonical event (from the SNMP adapter, the poller or a test). */
  push(ev: CanonicalEvent): void {
    this.events$.next(ev);
  }

  /** Runs a command (confirm switchover, ack, close) through the stages; returns its result. */
  command(cmd: Command): ConfirmResult | TicketResult | AckResult | WindowResult {
    const step = newStep(this.scheduler.now(), { command: cmd });
    this.control$.next(step);
    return step.result!;
  }

  /** Decide everything due now (also used at start-up after a restore). */
  tick(): void {
    this.timerAt = Infinity;
    this.timer = null;
    this.control$.next(newStep(this.scheduler.now(), { tick: true }));
  }

  private publish(step: Step): void {
    const heldClears = this.ledger.takeHeldChanges();
    if (
      !heldClears.length &&
      !step.alarms.size &&
      !step.incidents.size &&
      !step.circuits.size &&
      !step.tickets.size &&
      !step.restarts.length &&
      !step.windows.size
    )
      return;
    this.out$.next({
      at: step.now,
      alarms: [...step.alarms.values()],
      incidents: [...step.incidents.values()],
      circuits: [...step.circuits.values()],
      tickets: [...step.tickets.values()],
      restarts: step.restarts,
      windows: [...step.windows.values()],
      heldClears,
    });
  }

  /** Keeps exactly one scheduled tick, at the earliest deadline of any engine. */
  private schedule(): void {
    const dues = [
      this.correlator.nextDue(),
      this.protection.nextDue(),
      this.tickets.nextDue(),
      this.maintenance.nextDue(),
    ].filter((d): d is number => d !== undefined);
    if (!dues.length) return;
    const at = Math.min(...dues);
    if (at >= this.timerAt && this.timer) return;
    this.timer?.unsubscribe();
    this.timerAt = at;
    this.timer = this.scheduler.schedule(() => this.tick(), Math.max(0, at - this.scheduler.now()));
  }

  close(): void {
    this.timer?.unsubscribe();
    this.sub.unsubscribe();
    this.out$.complete();
  }
}

// Prometheus metrics (prom-client). Counters are read from the components at scrape time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CIRCUIT_STATES } from '../../core/model.js';

const TICKET_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;

export interface MetricsSource {
  trapsReceived(): number;
  informs(): number;
  rejected(): Record<string, number>;
  unmapped(): number;
  unknownNames(): number;
  duplicates(): { serial: number; alarm: number };
  kernelDrops(): number;
  recvBufferBytes(): number;
  alarmsActive(): number;
  incidentsOpen(): number;
  circuitsByState(): Record<string, number>;
  ticketsByPriority(): Record<string, number>;
  pollFailures(): number;
  restarts(): number;
  queueDepth?(): number;
  queueDropped?(): number;
  receiverRestarts?(): number;
  unknownSenders?(): number;
  storeWriteFailures?(): number;
  ingestRefused?(): number;
}

export interface Metrics {
  registry: Registry;
  latency: Histogram;
}

function counter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/**
 * A gauge per label value: every known value is always exported (0 when none), so a series
 * drops to 0 instead of vanishing when its last member leaves.
 */
function labelledGauge(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  known: readonly string[],
  read: () => Record<string, number>,
): void {
  new Gauge({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      const values = read();
      for (const k of new Set([...known, ...Object.keys(values)])) this.set({ [label]: k }, values[k] ?? 0);
    },
  });
}

export function createMetrics(src: MetricsSource, build: { version: string } = { version: 'unknown' }): Metrics {
  const registry = new Registry();
  // Standard names (process_cpu_seconds_total, process_resident_memory_bytes, nodejs_*), as
  // dashboards and alert rules expect them.
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'ringguard_build_info',
    help: 'always 1; the labels say which build runs',
    labelNames: ['version', 'node'],
    registers: [registry],
  }).set({ version: build.version, node: process.version }, 1);
  counter(
    registry,
    'ringguard_traps_received_total',
    'SNMP notifications decoded (traps and informs)',
    src.trapsReceived,
  );
  counter(registry, 'ringguard_informs_total', 'INFORMs received and answered', src.informs);
  new Counter({
    name: 'ringguard_traps_rejected_total',
    help: 'SNMP packets rejected, by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, v] of Object.entries(src.rejected())) this.inc({ reason }, v);
    },
  });
  counter(registry, 'ringguard_traps_unmapped_total', 'notifications no mapping rule matched', src.unmapped);
  counter(
    registry,
    'ringguard_alarm_names_unknown_total',
    'alarms with an unknown vendor name (kept as UNKNOWN:<name>)',
    src.unknownNames,
  );
  new Counter({
    name: 'ringguard_duplicates_total',
    help: 'duplicates: repeated serial from a sender, or a raise of an already active alarm',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      const d = src.duplicates();
      this.inc({ kind: 'serial' }, d.serial);
      this.inc({ kind: 'alarm' }, d.alarm);
    },
  });
  counter(
    registry,
    'ringguard_kernel_drops_total',
    'datagrams the kernel dropped on the trap socket (receive buffer full)',
    src.kernelDrops,
  );
  new Gauge({
    name: 'ringguard_trap_recv_buffer_bytes',
    help: 'receive buffer the kernel granted the trap socket',
    registers: [registry],
    collect() {
      this.set(src.recvBufferBytes());
    },
  });
  new Gauge({
    name: 'ringguard_alarms_active',
    help: 'active alarms',
    registers: [registry],
    collect() {
      this.set(src.alarmsActive());
    },
  });
  new Gauge({
    name: 'ringguard_incidents_open',
    help: 'open incidents',
    registers: [registry],
    collect() {
      this.set(src.incidentsOpen());
    },
  });
  labelledGauge(
    registry,
    'ringguard_circuits',
    'circuits by protection state',
    'state',
    CIRCUIT_STATES,
    src.circuitsByState,
  );
  labelledGauge(
    registry,
    'ringguard_tickets',
    'tickets not closed, by priority',
    'priority',
    TICKET_PRIORITIES,
    src.ticketsByPriority,
  );
  counter(registry, 'ringguard_poll_failures_total', 'failed polls', src.pollFailures);
  counter(
    registry,
    'ringguard_restarts_total',
    'NE restarts seen (coldStart/warmStart, sysUpTime reset)',
    src.restarts,
  );
  new Gauge({
    name: 'ringguard_ingest_queue_depth',
    help: 'decoded events waiting for the pipeline',
    registers: [registry],
    collect() {
      this.set(src.queueDepth?.() ?? 0);
    },
  });
  counter(
    registry,
    'ringguard_ingest_queue_dropped_total',
    'events dropped because the ingest queue was full',
    () => src.queueDropped?.() ?? 0,
  );
  counter(
    registry,
    'ringguard_receiver_restarts_total',
    'times the trap receiver thread died and was restarted',
    () => src.receiverRestarts?.() ?? 0,
  );
  counter(
    registry,
    'ringguard_unknown_sender_notifications_total',
    'notifications naming an NE not in the topology (listed, not correlated)',
    () => src.unknownSenders?.() ?? 0,
  );
  counter(
    registry,
    'ringguard_store_write_failures_total',
    'database writes that failed (busy or full) and were retried',
    () => src.storeWriteFailures?.() ?? 0,
  );
  counter(
    registry,
    'ringguard_ingest_refused_total',
    'notifications refused because the unwritten backlog was full (database unwritable too long)',
    () => src.ingestRefused?.() ?? 0,
  );
  const latency = new Histogram({
    name: 'ringguard_pipeline_latency_seconds',
    help: 'receipt of an event to its changes published',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, latency };
}

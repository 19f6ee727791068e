// Prometheus metrics (prom-client). Counters are read from the components at scrape time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
}

export interface Metrics {
  registry: Registry;
  latency: Histogram;
}

function counter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({ name, help, registers: [registry], collect() { this.reset(); this.inc(read()); } });
}

export function createMetrics(src: MetricsSource): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ringguard_process_' });
  counter(registry, 'ringguard_traps_received_total', 'SNMP notifications decoded (traps and informs)', src.trapsReceived);
  counter(registry, 'ringguard_informs_total', 'INFORMs received and answered', src.informs);
  new Counter({
    name: 'ringguard_traps_rejected_total', help: 'SNMP packets rejected, by reason', labelNames: ['reason'], registers: [registry],
    collect() { this.reset(); for (const [reason, v] of Object.entries(src.rejected())) this.inc({ reason }, v); },
  });
  counter(registry, 'ringguard_traps_unmapped_total', 'notifications no mapping rule matched', src.unmapped);
  counter(registry, 'ringguard_alarm_names_unknown_total', 'alarms with an unknown vendor name (kept as UNKNOWN:<name>)', src.unknownNames);
  new Counter({
    name: 'ringguard_duplicates_total', help: 'duplicates: repeated serial from a sender, or a raise of an already active alarm', labelNames: ['kind'], registers: [registry],
    collect() { this.reset(); const d = src.duplicates(); this.inc({ kind: 'serial' }, d.serial); this.inc({ kind: 'alarm' }, d.alarm); },
  });
  counter(registry, 'ringguard_kernel_drops_total', 'datagrams the kernel dropped on the trap socket (receive buffer full)', src.kernelDrops);
  new Gauge({ name: 'ringguard_trap_recv_buffer_bytes', help: 'receive buffer the kernel granted the trap socket', registers: [registry], collect() { this.set(src.recvBufferBytes()); } });
  new Gauge({ name: 'ringguard_alarms_active', help: 'active alarms', registers: [registry], collect() { this.set(src.alarmsActive()); } });
  new Gauge({ name: 'ringguard_incidents_open', help: 'open incidents', registers: [registry], collect() { this.set(src.incidentsOpen()); } });
  new Gauge({
    name: 'ringguard_circuits', help: 'circuits by protection state', labelNames: ['state'], registers: [registry],
    collect() { this.reset(); for (const [state, v] of Object.entries(src.circuitsByState())) this.set({ state }, v); },
  });
  new Gauge({
    name: 'ringguard_tickets', help: 'tickets not closed, by priority', labelNames: ['priority'], registers: [registry],
    collect() { this.reset(); for (const [priority, v] of Object.entries(src.ticketsByPriority())) this.set({ priority }, v); },
  });
  counter(registry, 'ringguard_poll_failures_total', 'failed polls', src.pollFailures);
  counter(registry, 'ringguard_restarts_total', 'NE restarts seen (coldStart/warmStart, sysUpTime reset)', src.restarts);
  new Gauge({ name: 'ringguard_ingest_queue_depth', help: 'decoded events waiting for the pipeline', registers: [registry], collect() { this.set(src.queueDepth?.() ?? 0); } });
  counter(registry, 'ringguard_ingest_queue_dropped_total', 'events dropped because the ingest queue was full', () => src.queueDropped?.() ?? 0);
  counter(registry, 'ringguard_receiver_restarts_total', 'times the trap receiver thread died and was restarted', () => src.receiverRestarts?.() ?? 0);
  counter(registry, 'ringguard_unknown_sender_notifications_total', 'notifications naming an NE not in the topology (listed, not correlated)', () => src.unknownSenders?.() ?? 0);
  const latency = new Histogram({
    name: 'ringguard_pipeline_latency_seconds', help: 'receipt of an event to its changes published',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  return { registry, latency };
}

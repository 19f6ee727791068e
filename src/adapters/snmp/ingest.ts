// The main thread's side of the trap receiver worker: starts it, takes its event batches,
// keeps its latest counters for /metrics, and stops it after it has handed over everything.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { TopologyGraph } from '../../core/topology/graph.js';
import type { EmsNaming, IngestEvent } from './mapping.js';
import type { ReceiverOptions } from './receiver.js';
import type { FromWorker, ToWorker, WorkerInit, WorkerStats } from './receiver-worker.js';
import { UnmappedTable } from './unmapped.js';

const noop = () => undefined;

export interface TrapIngestOptions {
  receiver: Omit<ReceiverOptions, 'logger' | 'now'>;
  mappings: string[];
  ems?: EmsNaming;
  logLevel: string;
  logger?: Logger;
}

const EMPTY: WorkerStats = {
  received: 0,
  informs: 0,
  rejected: {},
  unmapped: 0,
  ignored: 0,
  unknownNames: 0,
  kernelDrops: 0,
};

export class TrapIngest {
  private worker: Worker | null = null;
  stats: WorkerStats = EMPTY;
  bufferBytes = 0;
  port = 0;
  /** Times the receiver thread died and was started again. */
  restarts = 0;
  /** A receiver thread is bound and decoding. */
  listening = false;
  lastRestart: { at: number; reason: string } | null = null;
  /** Notifications no mapping rule matched, per OID (GET /api/v1/unmapped). */
  readonly unmapped = new UnmappedTable();
  /** Counters of the threads that died, so totals never go back after a restart. */
  private base: WorkerStats = EMPTY;
  private closed: Promise<void> | null = null;

  constructor(
    private graph: TopologyGraph,
    private readonly opts: TrapIngestOptions,
    private readonly onEvents: (events: IngestEvent[], answer: () => void) => void,
  ) {}

  /** A reloaded topology: the receiver thread matches senders against its management hosts. */
  setTopology(graph: TopologyGraph): void {
    this.graph = graph;
    this.worker?.postMessage({ type: 'hosts', hosts: graph.hostTable() } satisfies ToWorker);
  }

  /** Resolves with the bound UDP port once the worker listens; rejects on a bind or config error. */
  start(): Promise<number> {
    return this.spawn(this.opts.receiver.port);
  }

  private spawn(port: number): Promise<number> {
    const here = new URL(import.meta.url);
    const init: WorkerInit = {
      receiver: { ...this.opts.receiver, port },
      hosts: this.graph.hostTable(),
      mappings: this.opts.mappings,
      ems: this.opts.ems,
      logLevel: this.opts.logLevel,
    };
    // From source (tests, tsx) the entry is TypeScript: a small bootstrap registers tsx first.
    const worker = here.pathname.endsWith('.ts')
      ? new Worker(new URL('../../../scripts/ts-worker.mjs', here), {
          workerData: { ...init, entry: new URL('./receiver-worker.ts', here).href },
        })
      : new Worker(new URL('./receiver-worker.js', here), { workerData: init });
    this.worker = worker;
    let listening = false;
    return new Promise((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'listening') {
          listening = true;
          this.listening = true;
          this.port = m.port;
          this.bufferBytes = m.bufferBytes;
          resolve(m.port);
        } else if (m.type === 'error') {
          const err = Object.assign(new Error(m.message), { code: m.code });
          reject(err);
          void worker.terminate();
        } else if (m.type === 'events') {
          this.stats = addStats(this.base, m.stats);
          for (const r of m.unmapped ?? []) this.unmapped.merge(r);
          const batch = m.batch;
          // Answers go to the thread that holds them (a restarted one holds none).
          if (m.events.length)
            this.onEvents(
              m.events,
              batch ? () => worker.postMessage({ type: 'answer', batch } satisfies ToWorker) : noop,
            );
        } else if (m.type === 'closed') {
          this.stats = addStats(this.base, m.stats);
        }
      });
      worker.on('error', (e) => {
        if (!listening) reject(e);
        else this.opts.logger?.error({ err: e }, 'trap receiver thread failed');
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.listening = false;
        if (!listening || this.closed || this.worker !== worker) return;
        this.restart(`exit code ${code}`);
      });
    });
  }

  /** The receiver thread died: start another on the same port at once. */
  private restart(reason: string): void {
    this.restarts++;
    this.lastRestart = { at: Date.now(), reason };
    this.base = this.stats;
    this.opts.logger?.error({ reason, restarts: this.restarts }, 'trap receiver thread died; restarting it');
    this.spawn(this.port).catch((e: Error) => {
      this.opts.logger?.error({ err: e }, 'trap receiver thread could not be restarted; retrying in 1 s');
      setTimeout(() => {
        if (!this.closed) this.restart(`restart failed: ${e.message}`);
      }, 1000).unref();
    });
  }

  /** Stops receiving; resolves once every event the worker had is delivered. */
  close(): Promise<void> {
    const w = this.worker;
    if (!w) return Promise.resolve();
    this.closed ??= new Promise<void>((resolve) => {
      const done = () =>
        void w.terminate().then(
          () => resolve(),
          () => resolve(),
        );
      const timer = setTimeout(done, 3000);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'closed') {
          clearTimeout(timer);
          done();
        }
      });
      w.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      w.postMessage({ type: 'close' } satisfies ToWorker);
    });
    return this.closed;
  }
}

function addStats(a: WorkerStats, b: WorkerStats): WorkerStats {
  const rejected: Record<string, number> = { ...a.rejected };
  for (const [k, v] of Object.entries(b.rejected)) rejected[k] = (rejected[k] ?? 0) + v;
  return {
    received: a.received + b.received,
    informs: a.informs + b.informs,
    rejected,
    unmapped: a.unmapped + b.unmapped,
    ignored: a.ignored + b.ignored,
    unknownNames: a.unknownNames + b.unknownNames,
    // Read from the kernel for the socket: a new socket starts again from 0.
    kernelDrops: a.kernelDrops + b.kernelDrops,
  };
}

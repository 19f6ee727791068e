// The main thread's side of the trap receiver worker: starts it, takes its event batches,
// keeps its latest counters for /metrics, and stops it after it has handed over everything.
import { Worker } from 'node:worker_threads';
import type { CanonicalEvent } from '../../core/alarms/events.js';
import type { TopologyGraph } from '../../core/topology/graph.js';
import type { ReceiverOptions } from './receiver.js';
import type { FromWorker, WorkerInit, WorkerStats } from './receiver-worker.js';

export interface TrapIngestOptions {
  receiver: Omit<ReceiverOptions, 'logger' | 'now'>;
  mappings: string[];
  logLevel: string;
}

const EMPTY: WorkerStats = { received: 0, informs: 0, rejected: {}, unmapped: 0, unknownNames: 0, kernelDrops: 0 };

export class TrapIngest {
  private worker: Worker | null = null;
  stats: WorkerStats = EMPTY;
  bufferBytes = 0;
  port = 0;
  private closed: Promise<void> | null = null;

  constructor(private readonly graph: TopologyGraph, private readonly opts: TrapIngestOptions, private readonly onEvents: (events: CanonicalEvent[]) => void) {}

  /** Resolves with the bound UDP port once the worker listens; rejects on a bind or config error. */
  start(): Promise<number> {
    const here = new URL(import.meta.url);
    const init: WorkerInit = { receiver: this.opts.receiver, hosts: this.graph.hostTable(), mappings: this.opts.mappings, logLevel: this.opts.logLevel };
    // From source (tests, tsx) the entry is TypeScript: a small bootstrap registers tsx first.
    const worker = here.pathname.endsWith('.ts')
      ? new Worker(new URL('../../../scripts/ts-worker.mjs', here), { workerData: { ...init, entry: new URL('./receiver-worker.ts', here).href } })
      : new Worker(new URL('./receiver-worker.js', here), { workerData: init });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'listening') {
          this.port = m.port;
          this.bufferBytes = m.bufferBytes;
          resolve(m.port);
        } else if (m.type === 'error') {
          const err = Object.assign(new Error(m.message), { code: m.code });
          reject(err);
          void worker.terminate();
        } else if (m.type === 'events') {
          this.stats = m.stats;
          if (m.events.length) this.onEvents(m.events);
        } else if (m.type === 'closed') {
          this.stats = m.stats;
        }
      });
      worker.on('error', reject);
    });
  }

  /** Stops receiving; resolves once every event the worker had is delivered. */
  close(): Promise<void> {
    const w = this.worker;
    if (!w) return Promise.resolve();
    this.closed ??= new Promise<void>((resolve) => {
      const done = () => void w.terminate().then(() => resolve(), () => resolve());
      const timer = setTimeout(done, 3000);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'closed') {
          clearTimeout(timer);
          done();
        }
      });
      w.on('exit', () => { clearTimeout(timer); resolve(); });
      w.postMessage({ type: 'close' });
    });
    return this.closed;
  }
}

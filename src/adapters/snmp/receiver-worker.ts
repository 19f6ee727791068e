// Worker thread: the trap socket, net-snmp decoding and the mapping rules run here, so the
// main thread (pipeline, SQLite, REST) keeps its core. Canonical events go to the main thread in
// batches; counters are posted with them.
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { byHost, type HostEntry } from '../../core/topology/graph.js';
import { Mapper, type EmsNaming, type IngestEvent } from './mapping.js';
import { TrapReceiver, type Answer, type ReceiverOptions } from './receiver.js';
import { UnmappedLogger, UnmappedTable, type UnmappedNotification } from './unmapped.js';

export type ToWorker =
  | { type: 'close' }
  | { type: 'answer'; batch: number }
  /** The topology was reloaded: its management host table. */
  | { type: 'hosts'; hosts: Array<[string, HostEntry[]]> };

export interface WorkerInit {
  receiver: Omit<ReceiverOptions, 'logger' | 'now'>;
  hosts: Array<[string, HostEntry[]]>;
  mappings: string[];
  ems?: EmsNaming;
  logLevel: string;
}

export type FromWorker =
  | { type: 'listening'; port: number; bufferBytes: number }
  | { type: 'error'; code?: string; message: string }
  /** `batch`: pass back in an `answer` message once the events are durable (INFORMs among them). */
  | { type: 'events'; events: IngestEvent[]; stats: WorkerStats; batch?: number; unmapped?: UnmappedNotification[] }
  | { type: 'closed'; stats: WorkerStats };

export interface WorkerStats {
  received: number;
  informs: number;
  rejected: Record<string, number>;
  unmapped: number;
  /** Notifications read but not alarm changes (EMS events, acknowledgements). */
  ignored: number;
  unknownNames: number;
  kernelDrops: number;
}

const init = workerData as WorkerInit;
const port = parentPort!;
const logger = pino({ level: init.logLevel, base: { pid: process.pid, thread: 'snmp' } });
let mapper: Mapper;
let receiver: TrapReceiver;
let batch: IngestEvent[] = [];
let scheduled = false;
let unmapped = 0;
/** Unmapped notifications since the last post, per OID. */
const unmappedSeen = new UnmappedTable();
const unmappedLog = new UnmappedLogger(logger);
let ignored = 0;
/** INFORM answers of the batch being filled, and of the batches posted but not yet durable. */
let answers: Answer[] = [];
let batchNo = 0;
const held = new Map<number, Answer[]>();
const MAX_HELD_BATCHES = 10_000;

const stats = (): WorkerStats => ({
  received: receiver.stats.received,
  informs: receiver.stats.informs,
  rejected: { ...receiver.stats.rejected },
  unmapped,
  ignored,
  unknownNames: mapper.stats.unknownNames,
  kernelDrops: receiver.kernelDrops(),
});

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(flush);
}

function flush(): void {
  scheduled = false;
  if (!batch.length && !unmappedSeen.size) return;
  const unmapped = unmappedSeen.size ? unmappedSeen.drain() : undefined;
  const events = batch;
  batch = [];
  let no: number | undefined;
  if (answers.length) {
    held.set((no = ++batchNo), answers);
    answers = [];
    // The main thread could not make them durable (disk trouble): their senders retry.
    if (held.size > MAX_HELD_BATCHES) held.delete(held.keys().next().value!);
  }
  port.postMessage({ type: 'events', events, stats: stats(), batch: no, unmapped } satisfies FromWorker);
}

let table = new Map(init.hosts);
try {
  mapper = new Mapper({ byHost: (host, prefer) => byHost(table, host, prefer) }, init.mappings, init.ems);
  receiver = new TrapReceiver({ ...init.receiver, logger, deferInformAnswers: true }, (n, answer) => {
    const r = mapper.map(n);
    if (!r.ok && r.reason === 'incomplete') return { reason: 'incomplete', detail: r.detail };
    if (!r.ok) {
      if (r.reason === 'ignored') ignored++;
      else {
        unmapped++;
        unmappedSeen.note(n);
        unmappedLog.note(n);
        schedule();
      }
      logger.debug(
        { trapOid: n.trapOid, reason: r.reason, detail: r.detail, source: n.address },
        'notification not mapped',
      );
      answer?.();
      return;
    }
    batch.push(r.event);
    if (answer) answers.push(answer);
    schedule();
  });
  receiver.start().then(
    (p) => port.postMessage({ type: 'listening', port: p, bufferBytes: receiver.bufferBytes } satisfies FromWorker),
    (e: NodeJS.ErrnoException) =>
      port.postMessage({ type: 'error', code: e.code, message: e.message } satisfies FromWorker),
  );
} catch (e) {
  port.postMessage({ type: 'error', message: (e as Error).message } satisfies FromWorker);
}

// Counters also move without events (rejected packets, kernel drops): post them every second.
let lastStats = '';
const ticker = setInterval(() => {
  if (!receiver || !mapper) return;
  const st = stats();
  const text = JSON.stringify(st);
  if (text === lastStats) return;
  lastStats = text;
  port.postMessage({ type: 'events', events: [], stats: st } satisfies FromWorker);
}, 1000);
ticker.unref();

port.on('message', (m: ToWorker) => {
  if (m.type === 'answer') {
    for (const a of held.get(m.batch) ?? []) a();
    held.delete(m.batch);
    return;
  }
  if (m.type === 'hosts') {
    table = new Map(m.hosts);
    return;
  }
  clearInterval(ticker);
  void receiver.close().then(() => {
    flush();
    port.postMessage({ type: 'closed', stats: stats() } satisfies FromWorker);
  });
});

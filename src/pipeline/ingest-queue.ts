// Between the trap socket and the pipeline: the socket callback only decodes and enqueues, and
// the queue is drained in short time slices, so during a burst the kernel buffer keeps being
// emptied and the backlog waits here (bounded; overflow is counted, oldest kept).
import type { CanonicalEvent } from '../core/alarms/events.js';

export class IngestQueue<T = CanonicalEvent> {
  private items: T[] = [];
  private head = 0;
  private scheduled = false;
  dropped = 0;
  maxDepth = 0;

  constructor(
    private readonly sink: (ev: T) => void,
    private readonly afterSlice: () => void = () => undefined,
    private readonly sliceMs = 2,
    private readonly capacity = 500_000,
  ) {}

  get depth(): number {
    return this.items.length - this.head;
  }

  push(ev: T): void {
    if (this.depth >= this.capacity) {
      this.dropped++;
      return;
    }
    this.items.push(ev);
    if (this.depth > this.maxDepth) this.maxDepth = this.depth;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Processes everything now (shutdown). */
  flush(): void {
    while (this.head < this.items.length) this.sink(this.items[this.head++]);
    this.items = [];
    this.head = 0;
    this.afterSlice();
  }

  private drain(): void {
    const end = performance.now() + this.sliceMs;
    let n = 0;
    while (this.head < this.items.length) {
      this.sink(this.items[this.head++]);
      if (++n % 16 === 0 && performance.now() >= end) break;
    }
    if (this.head >= this.items.length) {
      this.items = [];
      this.head = 0;
      this.scheduled = false;
    } else {
      if (this.head > 65_536) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      setImmediate(() => this.drain());
    }
    this.afterSlice();
  }
}

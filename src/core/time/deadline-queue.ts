// One deadline per key, fired in deadline order (ties in the order they were set). A binary
// heap (heap-js) with lazy deletion: rescheduling or cancelling a key leaves its old heap entry
// behind, recognised as stale when it reaches the top; the heap is rebuilt when stale entries
// outnumber live ones. Pure: time is passed in, nothing runs by itself.
import { Heap } from 'heap-js';

interface Entry<K> {
  key: K;
  at: number;
  /** Order of `set` calls: breaks ties and tells a live entry from a stale one. */
  n: number;
}

const byDeadline = <K>(a: Entry<K>, b: Entry<K>) => a.at - b.at || a.n - b.n;

export class DeadlineQueue<K> {
  private readonly live = new Map<K, Entry<K>>();
  private heap = new Heap<Entry<K>>(byDeadline);
  private n = 0;

  get size(): number {
    return this.live.size;
  }

  /** The deadline of `key`, if it has one. */
  get(key: K): number | undefined {
    return this.live.get(key)?.at;
  }

  /** Sets (or moves) the deadline of `key`. Setting the same deadline again changes nothing. */
  set(key: K, at: number): void {
    if (this.live.get(key)?.at === at) return;
    const e = { key, at, n: ++this.n };
    this.live.set(key, e);
    this.heap.push(e);
    if (this.heap.size() > 2 * this.live.size + 64) this.compact();
  }

  /** Sets the deadline, or cancels it when `at` is null. */
  put(key: K, at: number | null | undefined): void {
    if (at == null) this.delete(key);
    else this.set(key, at);
  }

  delete(key: K): boolean {
    return this.live.delete(key);
  }

  /** The earliest deadline, if any. */
  nextDue(): number | undefined {
    return this.top()?.at;
  }

  /** Removes and returns the keys due at `now` (deadline <= now), earliest first. */
  takeDue(now: number): K[] {
    const out: K[] = [];
    for (let e = this.top(); e && e.at <= now; e = this.top()) {
      this.heap.pop();
      this.live.delete(e.key);
      out.push(e.key);
    }
    return out;
  }

  private top(): Entry<K> | undefined {
    for (let e = this.heap.peek(); e; e = this.heap.peek()) {
      if (this.live.get(e.key) === e) return e;
      this.heap.pop();
    }
    return undefined;
  }

  private compact(): void {
    const heap = new Heap<Entry<K>>(byDeadline);
    heap.init([...this.live.values()]);
    this.heap = heap;
  }
}

// Coalesces pipeline outputs into one write (newest view per id, in first-seen order), flushed
// at most `delayMs` after the first output of a batch, or on demand. Under an alarm storm this
// turns thousands of one-row transactions into a few large ones.
import type { Output } from './pipeline.js';

export class BatchWriter {
  private pending: Output[] = [];
  private scheduled = false;

  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly write: (o: Output) => void, private readonly delayMs = 20) {}

  add(o: Output): void {
    this.pending.push(o);
    this.poke();
  }

  /** Schedules a write even with no output (the write also persists other state). */
  poke(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      this.timer = setTimeout(() => this.flush(), this.delayMs);
    }
  }

  /** Flushes now and passes `value` through (for commands whose effect must be readable at once). */
  after<T>(value: T): T {
    this.flush();
    return value;
  }

  flush(): void {
    this.scheduled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.write(batch.length === 1 ? batch[0] : merge(batch));
  }
}

export function merge(list: Output[]): Output {
  const latest = <T extends { id: string }>(pick: (o: Output) => T[]): T[] => {
    const m = new Map<string, T>();
    for (const o of list) for (const x of pick(o)) { m.delete(x.id); m.set(x.id, x); }
    return [...m.values()];
  };
  return {
    at: list.length ? list[list.length - 1].at : 0,
    alarms: latest((o) => o.alarms),
    incidents: latest((o) => o.incidents),
    circuits: latest((o) => o.circuits),
    // Tickets in seq order: the feed relies on it.
    tickets: latest((o) => o.tickets).sort((a, b) => a.seq - b.seq),
    restarts: list.flatMap((o) => o.restarts),
    windows: latest((o) => o.windows ?? []),
  };
}

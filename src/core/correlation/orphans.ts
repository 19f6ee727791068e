// Symptoms left unclassified because their cause had not shown yet, indexed by the resource
// keys (and signal-flow segments) that could explain them: an incident that later registers
// one of those keys looks only at the symptoms waiting under it. Pure.
import type { Alarm } from '../alarms/ledger.js';

export class OrphanIndex {
  private readonly byKey = new Map<string, Set<Alarm>>();

  add(a: Alarm, keys: readonly string[]): void {
    for (const k of keys) {
      let s = this.byKey.get(k);
      if (!s) this.byKey.set(k, (s = new Set()));
      s.add(a);
    }
  }

  remove(a: Alarm, keys: readonly string[]): void {
    for (const k of keys) {
      const s = this.byKey.get(k);
      if (s?.delete(a) && !s.size) this.byKey.delete(k);
    }
  }

  /**
   * The symptoms waiting under a key. `take` says for each whether it is done with (adopted,
   * or no longer waiting); the others keep waiting.
   */
  visit(key: string, take: (a: Alarm) => boolean): void {
    const s = this.byKey.get(key);
    if (!s) return;
    for (const a of [...s]) if (take(a)) s.delete(a);
    if (!s.size) this.byKey.delete(key);
  }

  get size(): number {
    return this.byKey.size;
  }
}

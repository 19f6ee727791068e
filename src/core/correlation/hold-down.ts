// The hold-down queue: a new alarm waits `holdDownMs` for its siblings before it is decided.
// A deadline is `now + hold-down` and `now` never goes back, so insertion order is deadline
// order: the next deadline is the first entry. Pure.
import { roleOf } from '../alarms/catalogue.js';
import type { Alarm } from '../alarms/ledger.js';

/** Order of decision among alarms due together: causes before the symptoms they explain. */
export function phaseOf(type: string): number {
  switch (type) {
    case 'POWER-FAIL':
      return 0;
    case 'DYING-GASP':
    case 'HW-FAIL':
      return 1;
    case 'LOS':
    case 'LOF':
      return 2;
    case 'NE-UNREACHABLE':
      return 7;
    default:
      if (type.startsWith('UNKNOWN:')) return 8;
      if (type === 'E1-LOS') return 4;
      if (type === 'LINK-DOWN') return 5;
      return roleOf(type) === 'root' ? 3 : 6;
  }
}

export class HoldDown {
  private readonly pending = new Set<Alarm>();
  private roots = 0;
  pulledForward = 0;

  constructor(private readonly holdDownMs: number) {}

  get size(): number {
    return this.pending.size;
  }

  /** A new alarm waits until `now + hold-down` (or its restored deadline). */
  add(a: Alarm, now: number): void {
    a.due ??= now + this.holdDownMs;
    this.pending.add(a);
    if (roleOf(a.type) === 'root') this.roots++;
  }

  /** The alarm is decided (now, or taken along by another decision). */
  remove(a: Alarm): void {
    if (a.due == null) return;
    if (this.pending.delete(a) && roleOf(a.type) === 'root') this.roots--;
    a.due = null;
  }

  nextDue(): number | undefined {
    return this.pending.values().next().value?.due ?? undefined;
  }

  /**
   * The alarms to decide now, causes first. A symptom whose hold-down ended while causes still
   * wait (it came first: UDP reorders, NEs report at different speeds) pulls the waiting causes
   * forward, so it is explained on time: every alarm is decided when its own hold-down ends.
   */
  due(now: number): Alarm[] {
    const out: Alarm[] = [];
    for (const a of this.pending) {
      if (a.due! > now) break;
      out.push(a);
    }
    if (this.roots > 0 && out.some((a) => roleOf(a.type) !== 'root')) {
      for (const a of this.pending) {
        if (a.due! > now && roleOf(a.type) === 'root') {
          out.push(a);
          this.pulledForward++;
        }
      }
    }
    return out.sort((x, y) => phaseOf(x.type) - phaseOf(y.type) || x.raisedAt - y.raisedAt || x.n - y.n);
  }

  /** Restart: the alarms still undecided, in deadline order, each keeping its deadline. */
  restore(waiting: Alarm[], now: number): void {
    waiting.sort((x, y) => (x.due ?? now) - (y.due ?? now) || x.n - y.n);
    for (const a of waiting) {
      a.due ??= now;
      this.add(a, now);
    }
  }
}

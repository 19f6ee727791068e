// Alarm acknowledgement (contract 2 §8): who acknowledged an alarm and when. Kept beside the
// ledger, not in it: the ledger pairs raises and clears, this only remembers a person's
// action, and an alarm the ledger has long forgotten can still be acknowledged. Pure.
import { iso, type AlarmView } from '../model.js';

export type AckResult = { ok: true; alarm: AlarmView } | { ok: false; code: 'NOT_FOUND' | 'CONFLICT'; message: string };

export class AlarmAcks {
  private readonly acks = new Map<string, { by: string; at: string }>();

  /** From persisted alarms (restart). */
  restore(alarms: Iterable<AlarmView>): void {
    for (const a of alarms) if (a.ackBy && a.ackAt) this.acks.set(a.id, { by: a.ackBy, at: a.ackAt });
  }

  /** `view` is the alarm as it is now (from the ledger, or from the store when forgotten). */
  ack(view: AlarmView | undefined, id: string, by: string, now: number): AckResult {
    if (!view) return { ok: false, code: 'NOT_FOUND', message: `alarm "${id}" does not exist` };
    const first = this.acks.get(id) ?? (view.ackBy && view.ackAt ? { by: view.ackBy, at: view.ackAt } : undefined);
    if (first)
      return {
        ok: false,
        code: 'CONFLICT',
        message: `alarm "${id}" was already acknowledged by ${first.by} at ${first.at}`,
      };
    this.acks.set(id, { by, at: iso(now) });
    return { ok: true, alarm: this.show(view) };
  }

  /** The view with its acknowledgement (null fields when none). */
  show(view: AlarmView): AlarmView {
    const a = this.acks.get(view.id);
    return { ...view, ackBy: a?.by ?? null, ackAt: a?.at ?? null };
  }
}

// What a channel is given and what it answers.
import type { Person } from '../../../core/notify/roster.js';

/** A message as stored in the outbox, ready for any channel. */
export interface Outgoing {
  /** The contract's webhook payload: `{ id, event, tickets, level, group, text }`. */
  payload: { id: string; event: string; tickets: unknown[]; level: number; group: string; text: string };
  subject: string;
  /** People on duty in the message's group when it was composed. */
  onDuty: Person[];
}

export interface Delivery {
  ok: boolean;
  /** HTTP status or SMTP reply code, when there was one. */
  status: number | null;
  error: string | null;
  /** Retrying cannot help (e.g. no recipient configured): the message is given up. */
  permanent?: boolean;
}

export type Channel = (m: Outgoing) => Promise<Delivery>;

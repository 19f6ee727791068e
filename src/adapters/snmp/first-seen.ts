// Logs the first notification from each NE at info: the sign that a newly pointed NE (or EMS
// northbound interface) reaches ringguard, with what it sent.
import type { Logger } from 'pino';
import type { IngestEvent } from './mapping.js';

export class FirstSeen {
  private readonly seen = new Set<string>();

  constructor(private readonly logger: Logger) {}

  note(ev: IngestEvent): void {
    if (ev.kind === 'ems' || this.seen.has(ev.node)) return;
    this.seen.add(ev.node);
    const what = ev.kind === 'raise' || ev.kind === 'clear' ? `${ev.kind} ${ev.type}` : ev.kind;
    this.logger.info({ node: ev.node, address: ev.address, event: what }, 'first notification from NE');
  }
}

// Asking an EMS for an alarm synchronisation: an SNMP SET on its NBI agent (net-snmp), of the
// MIB's command object: V1 hwNmNorthboundEventSynchronizationCommandStart
// (1.3.6.1.4.1.2011.2.15.1.7.7.4), iMAP iMAPNorthboundAlarmQuery (1.3.6.1.4.1.2011.2.15.2.4.1.5).
// The EMS answers with its start / rows / end notifications, which EmsResync reconciles. The MIBs
// do not say what value the command takes: it is configurable (default empty), per the EMS's
// NBI guide.
import snmp from 'net-snmp';
import type { Logger } from 'pino';

export const RESYNC_COMMAND = {
  v1: '1.3.6.1.4.1.2011.2.15.1.7.7.4.0',
  imap: '1.3.6.1.4.1.2011.2.15.2.4.1.5.0',
} as const;

export interface EmsAgent {
  host: string;
  port: number;
  community: string;
  layout: keyof typeof RESYNC_COMMAND;
  /** The value written to the command object. */
  value: string;
}

export interface EmsRequestOptions {
  /** At most one request per EMS in this long. */
  minIntervalMs: number;
  now: () => number;
  timeoutMs?: number;
  logger?: Logger;
}

export class EmsResyncRequester {
  private readonly last = new Map<string, number>();
  readonly stats = { requests: 0, failures: 0 };

  constructor(
    private readonly agents: ReadonlyMap<string, EmsAgent>,
    private readonly opts: EmsRequestOptions,
  ) {}

  /** Asks the EMS (when it has an agent configured) for a synchronisation; false when not asked. */
  async request(ems: string, reason: string): Promise<boolean> {
    const a = this.agents.get(ems);
    if (!a) return false;
    const t = this.opts.now();
    if (t - (this.last.get(ems) ?? -Infinity) < this.opts.minIntervalMs) return false;
    this.last.set(ems, t);
    this.stats.requests++;
    const session = snmp.createSession(a.host, a.community, {
      port: a.port,
      version: snmp.Version2c,
      timeout: this.opts.timeoutMs ?? 3000,
      retries: 1,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        session.set(
          [{ oid: RESYNC_COMMAND[a.layout], type: snmp.ObjectType.OctetString, value: a.value }],
          (err, vbs) => {
            if (err) return reject(err);
            const bad = (vbs ?? []).find((vb) => snmp.isVarbindError(vb));
            return bad ? reject(new Error(snmp.varbindError(bad))) : resolve();
          },
        );
      });
      this.opts.logger?.info(
        { ems, reason, agent: `${a.host}:${a.port}` },
        'asked the EMS for an alarm synchronisation',
      );
      return true;
    } catch (e) {
      this.stats.failures++;
      this.opts.logger?.warn(
        { ems, reason, agent: `${a.host}:${a.port}`, err: (e as Error).message },
        'EMS alarm synchronisation request failed',
      );
      return false;
    } finally {
      session.close();
    }
  }
}

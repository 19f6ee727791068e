// Trap/inform receiver on net-snmp: v1, v2c, v3 (USM) traps and v2c/v3 informs (net-snmp
// answers informs). Bad input is counted by reason and logged at most once per source per
// minute; nothing on the wire stops the receiver.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import asn1 from 'asn1-ber';
import snmp from 'net-snmp';
import type { Logger } from 'pino';
import type { SnmpUser } from '../../cli/config.js';
import { SNMP_TRAP_OID, v1TrapOid, type Notification } from './mapping.js';
import { createReceiver, type Receiver } from './net-snmp-receiver.js';

export type RejectReason = 'malformed' | 'bad-community' | 'auth-failure' | 'unsupported' | 'incomplete';

export interface ReceiverOptions {
  host: string;
  port: number;
  communities: string[];
  users: SnmpUser[];
  recvBufferBytes: number;
  logger?: Logger;
  now?: () => number;
  /**
   * Hold INFORM answers: the notification callback gets an `answer` to call once its event is
   * durable (else net-snmp answers at once, before the callback).
   */
  deferInformAnswers?: boolean;
}

/** Sends the already encoded answer to one INFORM. */
export type Answer = () => void;

const AUTH_PROTOCOLS: Record<string, number> = {
  md5: snmp.AuthProtocols.md5,
  sha: snmp.AuthProtocols.sha,
  sha224: snmp.AuthProtocols.sha224,
  sha256: snmp.AuthProtocols.sha256,
  sha384: snmp.AuthProtocols.sha384,
  sha512: snmp.AuthProtocols.sha512,
};
const PRIV_PROTOCOLS: Record<string, number> = {
  des: snmp.PrivProtocols.des,
  aes: snmp.PrivProtocols.aes,
  aes256b: snmp.PrivProtocols.aes256b,
  aes256r: snmp.PrivProtocols.aes256r,
};

/** net-snmp's user object from a config user: the level follows the keys given. */
export function usmUser(u: SnmpUser): snmp.User {
  const level = u.privKey
    ? snmp.SecurityLevel.authPriv
    : u.authKey
      ? snmp.SecurityLevel.authNoPriv
      : snmp.SecurityLevel.noAuthNoPriv;
  return {
    name: u.name,
    level,
    ...(u.authKey ? { authProtocol: AUTH_PROTOCOLS[u.authProtocol ?? 'sha'], authKey: u.authKey } : {}),
    ...(u.privKey ? { privProtocol: PRIV_PROTOCOLS[u.privProtocol ?? 'aes'], privKey: u.privKey } : {}),
  };
}

/** The datagram is exactly one BER SEQUENCE (not cut short, nothing after it). */
export function wholeMessage(buf: Buffer): boolean {
  try {
    const r = new asn1.Ber.Reader(buf);
    return r.readSequence(0x30) === 0x30 && r.offset + r.length === buf.length;
  } catch {
    return false;
  }
}

export function classifyError(err: Error): RejectReason {
  const m = `${err.message} ${(err as { cause?: Error }).cause?.message ?? ''}`;
  if (/community/i.test(m)) return 'bad-community';
  if (/user|authenticat|digest|privacy|decrypt|engine/i.test(m)) return 'auth-failure';
  if (/Unexpected PDU|Only SNMPv3|not supported/i.test(m)) return 'unsupported';
  return 'malformed';
}

export class TrapReceiver {
  readonly stats = {
    datagrams: 0,
    received: 0,
    informs: 0,
    /** v3 engine discovery and USM reports answered (part of a normal v3 exchange). */
    reports: 0,
    rejected: { malformed: 0, 'bad-community': 0, 'auth-failure': 0, unsupported: 0, incomplete: 0 } as Record<
      RejectReason,
      number
    >,
  };
  private receiver: Receiver | null = null;
  private readonly lastLog = new Map<string, number>();
  /** Per datagram: did net-snmp call back (decoded or error) or answer (report)? */
  private handled = false;
  private responded = false;
  /** The encoded answer to the INFORM being processed, held until its event is durable. */
  private held: Answer | null = null;
  private readonly now: () => number;
  bufferBytes = 0;
  boundPort = 0;

  constructor(
    readonly opts: ReceiverOptions,
    private readonly onNotification: (
      n: Notification,
      answer?: Answer,
    ) => { reason: RejectReason; detail: string } | void,
  ) {
    this.now = opts.now ?? Date.now;
  }

  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      let bound = false;
      const wanted = this.opts.port;
      const recvBufferSize = this.opts.recvBufferBytes;
      const dgramModule = {
        createSocket: (type: 'udp4' | 'udp6') => {
          const s = dgram.createSocket({ type, recvBufferSize });
          // net-snmp turns port 0 into 162; bind where we were asked to.
          const bind = s.bind.bind(s) as (port: number, address?: string) => dgram.Socket;
          (s as unknown as { bind: unknown }).bind = (_port: number, address?: string) => bind(wanted, address);
          // Around net-snmp's own 'message' handler: anything it silently ignores is still counted.
          // Every 'message' handler (net-snmp's included) runs guarded: a throw while decoding or
          // answering one datagram (e.g. an INFORM whose request-id does not fit int32) counts
          // that datagram as malformed instead of killing the thread.
          const on = s.on.bind(s) as (ev: string, fn: (...a: unknown[]) => void) => dgram.Socket;
          (s as unknown as { on: unknown }).on = (ev: string, fn: (...a: unknown[]) => void) =>
            on(ev, ev === 'message' ? (...a: unknown[]) => this.guarded(fn, a) : fn);
          s.prependListener('message', () => {
            this.held = null;
            this.stats.datagrams++;
            this.handled = false;
            this.responded = false;
          });
          s.once('listening', () => {
            s.on('message', (_m: Buffer, rinfo: dgram.RemoteInfo) => {
              if (this.handled) return;
              if (this.responded) this.stats.reports++;
              else {
                this.stats.rejected.malformed++;
                this.logLimited(rinfo.address, 'malformed', 'ignored by the SNMP decoder');
              }
            });
            bound = true;
            this.boundPort = s.address().port;
            try {
              this.bufferBytes = s.getRecvBufferSize();
            } catch {
              this.bufferBytes = 0;
            }
            resolve(this.boundPort);
          });
          return s;
        },
      };
      const receiver = (this.receiver = createReceiver(
        {
          port: wanted || 1,
          address: this.opts.host,
          transport: this.opts.host.includes(':') ? 'udp6' : 'udp4',
          includeAuthentication: true,
          dgramModule,
        },
        (error, data) => {
          this.handled = true;
          if (error) {
            const code = (error as { code?: string }).code;
            // A socket error (bind, address lookup), not a bad packet: fatal before listening.
            if (
              code === 'EADDRINUSE' ||
              code === 'EACCES' ||
              code === 'EADDRNOTAVAIL' ||
              (error as { syscall?: string }).syscall
            ) {
              if (!bound) reject(error);
              else this.opts.logger?.error({ err: error }, 'trap socket error');
              return;
            }
            const reason = classifyError(error);
            this.stats.rejected[reason]++;
            const source = (error as { rinfo?: { address: string } }).rinfo?.address ?? 'unknown';
            this.logLimited(source, reason, error.message);
            return;
          }
          if (!data) return;
          try {
            // Each datagram lands in exactly one counter: received, or rejected with a reason.
            const n = this.toNotification(data.pdu, data.rinfo.address);
            const answer = this.held ?? undefined;
            this.held = null;
            const refused = this.onNotification(n, answer);
            // Nothing to make durable: a refused INFORM is answered at once (it was received).
            if (refused) answer?.();
            if (refused) {
              this.stats.rejected[refused.reason]++;
              this.logLimited(data.rinfo.address, refused.reason, refused.detail);
            } else this.stats.received++;
          } catch (e) {
            this.stats.rejected.malformed++;
            this.logLimited(data.rinfo.address, 'malformed', (e as Error).message);
          }
        },
      ));
      const listener = receiver.listener;
      const send = listener.send.bind(listener);
      listener.send = (...a: unknown[]) => {
        this.responded = true;
        const [message, rinfo, socket] = a as [
          { pdu: { type: number }; toBuffer(): Buffer },
          dgram.RemoteInfo,
          dgram.Socket,
        ];
        if (this.opts.deferInformAnswers && message.pdu.type === snmp.PduType.GetResponse) {
          // Encoded now (net-snmp changes the message right after), sent when the event is durable.
          const buf = message.toBuffer();
          this.held = () => socket.send(buf, rinfo.port, rinfo.address, () => undefined);
          return;
        }
        send(...a);
      };
      const auth = receiver.getAuthorizer();
      for (const c of this.opts.communities) auth.addCommunity(c);
      for (const u of this.opts.users) auth.addUser(usmUser(u));
    });
  }

  private guarded(fn: (...a: unknown[]) => void, args: unknown[]): void {
    // net-snmp decodes a truncated message as far as it goes; we accept only whole ones.
    if (!this.handled && !wholeMessage(args[0] as Buffer)) {
      this.handled = true;
      this.stats.rejected.malformed++;
      this.logLimited(
        (args[1] as dgram.RemoteInfo | undefined)?.address ?? 'unknown',
        'malformed',
        'truncated: shorter than its BER length',
      );
      return;
    }
    try {
      fn(...args);
    } catch (e) {
      if (this.handled) return;
      this.handled = true;
      this.stats.rejected.malformed++;
      this.logLimited(
        (args[1] as dgram.RemoteInfo | undefined)?.address ?? 'unknown',
        'malformed',
        (e as Error).message,
      );
    }
  }

  private toNotification(pdu: Record<string, unknown>, address: string): Notification {
    const varbinds = ((pdu.varbinds as Array<{ oid: string; value: unknown }>) ?? []).map((v) => ({
      oid: v.oid,
      value: v.value,
    }));
    const receivedAt = this.now();
    if (pdu.type === snmp.PduType.Trap) {
      return {
        trapOid: v1TrapOid(String(pdu.enterprise), Number(pdu.generic), Number(pdu.specific)),
        varbinds,
        address,
        agentAddr: pdu.agentAddr as string | undefined,
        receivedAt,
      };
    }
    const trapOid = varbinds.find((v) => v.oid === SNMP_TRAP_OID)?.value;
    if (typeof trapOid !== 'string') throw new Error('notification without snmpTrapOID.0');
    if (pdu.type === snmp.PduType.InformRequest) this.stats.informs++;
    return { trapOid, varbinds, address, receivedAt };
  }

  private logLimited(source: string, reason: string, message: string): void {
    const key = `${source}|${reason}`;
    const t = this.now();
    if ((this.lastLog.get(key) ?? -Infinity) > t - 60_000) return;
    this.lastLog.set(key, t);
    if (this.lastLog.size > 10_000) this.lastLog.clear();
    this.opts.logger?.warn({ source, reason, detail: message }, 'rejected SNMP packet');
  }

  private drops = { at: -Infinity, value: 0 };

  /** Datagrams the kernel dropped on this socket (receive buffer full), from /proc/net/udp; read at most once a second. */
  kernelDrops(): number {
    if (!this.boundPort) return 0;
    const t = this.now();
    if (t - this.drops.at < 1000) return this.drops.value;
    this.drops = { at: t, value: this.readDrops() };
    return this.drops.value;
  }

  private readDrops(): number {
    const hexPort = this.boundPort.toString(16).toUpperCase().padStart(4, '0');
    for (const f of ['/proc/net/udp', '/proc/net/udp6']) {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols.length > 12 && cols[1]?.endsWith(`:${hexPort}`)) return Number(cols[cols.length - 1]) || 0;
      }
    }
    return 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.receiver) return resolve();
      try {
        this.receiver.close(() => resolve());
      } catch {
        resolve();
      }
      this.receiver = null;
    });
  }
}

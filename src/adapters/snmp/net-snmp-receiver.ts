// net-snmp's receiver, typed here: @types/net-snmp declares `createReceiver(options: any,
// callback: any): any`. These are the parts ringguard uses, as net-snmp 3.x implements them.
import type dgram from 'node:dgram';
import snmp from 'net-snmp';

export interface ReceiverOptions {
  port: number;
  address: string;
  transport: 'udp4' | 'udp6';
  /** The callback's data carries the community or user the notification came with. */
  includeAuthentication: boolean;
  /** Not in net-snmp's README: how the socket (and its receive buffer) is made. */
  dgramModule: { createSocket(type: 'udp4' | 'udp6'): dgram.Socket };
}

export interface ReceivedNotification {
  pdu: Record<string, unknown>;
  rinfo: dgram.RemoteInfo;
}

export type ReceiverCallback = (error: Error | null, data?: ReceivedNotification) => void;

export interface Receiver {
  getAuthorizer(): { addCommunity(community: string): void; addUser(user: snmp.User): void };
  close(callback?: () => void): void;
  /** net-snmp's listener: answers INFORMs and v3 reports through `send`. */
  listener: { send: (...args: unknown[]) => void };
}

export const createReceiver = snmp.createReceiver as (options: ReceiverOptions, callback: ReceiverCallback) => Receiver;

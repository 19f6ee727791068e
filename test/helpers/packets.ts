// Hand-made malformed SNMP datagrams for the hardening tests. Only tests build BER by hand: the
// product never does (net-snmp encodes and decodes). Lengths are short form (< 128 bytes).
import dgram from 'node:dgram';
import snmp from 'net-snmp';

const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag, body.length]), body]);

/** A v2c message (community `public`) around a PDU. */
export const v2cMessage = (pdu: Buffer, community = 'public') =>
  tlv(0x30, Buffer.concat([hex('020101'), tlv(0x04, Buffer.from(community)), pdu]));

/** A PDU (tag 0xa6 InformRequest, 0xa7 SNMPv2-Trap) with a raw request-id TLV and varbinds. */
export const pdu = (tag: number, reqId: Buffer, varbinds: Buffer[]) =>
  tlv(tag, Buffer.concat([reqId, hex('020100 020100'), tlv(0x30, Buffer.concat(varbinds))]));

/** A varbind of sysUpTime.0 with a raw value TLV. */
export const varbind = (value: Buffer) => tlv(0x30, Buffer.concat([hex('06082b06010201010300'), value]));

export const INFORM = 0xa6;
export const TRAP_V2 = 0xa7;

/** The 30-byte v2c INFORM whose request-id (2^32) does not fit int32. */
export const INFORM_BIG_REQID = v2cMessage(pdu(INFORM, hex('02050100000000'), []));
/** A v2c INFORM with an INTEGER varbind of 2^32. */
export const INFORM_BIG_INTEGER = v2cMessage(pdu(INFORM, hex('020101'), [varbind(hex('02050100000000'))]));
/** A v2c INFORM with a BIT STRING varbind. */
export const INFORM_BIT_STRING = v2cMessage(pdu(INFORM, hex('020101'), [varbind(hex('030200ff'))]));

/** Captures what net-snmp sends for one notification (a real, complete datagram). */
export function capture(send: (s: snmp.Session) => void): Promise<Buffer> {
  return new Promise((resolve) => {
    const cap = dgram.createSocket('udp4');
    cap.bind(0, '127.0.0.1', () => {
      const s = snmp.createSession('127.0.0.1', 'public', {
        trapPort: cap.address().port,
        version: snmp.Version2c,
        retries: 0,
        timeout: 50,
      });
      cap.once('message', (m) => {
        s.close();
        cap.close();
        resolve(m);
      });
      send(s);
    });
  });
}

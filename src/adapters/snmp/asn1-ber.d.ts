// The one piece of asn1-ber (net-snmp's own BER library) the receiver uses directly.
declare module 'asn1-ber' {
  export const Ber: {
    Reader: new (buf: Buffer) => {
      readSequence(tag?: number): number | null;
      readonly offset: number;
      readonly length: number;
    };
  };
}

// Sends ringguard notifications (contract 4.2) as real SNMP traps or informs with net-snmp:
// used by `ringguard simulate`, the benchmarks and the tests.
import snmp from 'net-snmp';
import type { SnmpUser } from '../../cli/config.js';
import { usmUser } from './receiver.js';

export const RG = {
  alarmRaise: '1.3.6.1.4.1.32473.1.0.1',
  alarmClear: '1.3.6.1.4.1.32473.1.0.2',
  protectionSwitch: '1.3.6.1.4.1.32473.1.0.3',
  neName: '1.3.6.1.4.1.32473.1.1.1.0',
  location: '1.3.6.1.4.1.32473.1.1.2.0',
  alarmName: '1.3.6.1.4.1.32473.1.1.3.0',
  severity: '1.3.6.1.4.1.32473.1.1.4.0',
  eventTime: '1.3.6.1.4.1.32473.1.1.5.0',
  serial: '1.3.6.1.4.1.32473.1.1.6.0',
  text: '1.3.6.1.4.1.32473.1.1.7.0',
  switchState: '1.3.6.1.4.1.32473.1.1.8.0',
  activeAlarmEntry: '1.3.6.1.4.1.32473.1.2.1',
} as const;

export const SEVERITY_CODE: Record<string, number> = {
  cleared: 1,
  indeterminate: 2,
  critical: 3,
  major: 4,
  minor: 5,
  warning: 6,
};
export const SWITCH_CODE = { toProtection: 1, toWorking: 2, failed: 3 } as const;

export interface AlarmNotification {
  kind: 'raise' | 'clear';
  node: string;
  object: string;
  alarmName: string;
  severity?: string;
  eventTime: number;
  serial: number;
  text?: string;
}
export interface SwitchNotification {
  kind: 'switch';
  node: string;
  object: string;
  state: keyof typeof SWITCH_CODE;
  eventTime: number;
  serial: number;
}
export type RgNotification = AlarmNotification | SwitchNotification;

export type Varbind = snmp.Varbind;
const str = (oid: string, value: string): Varbind => ({ oid, type: snmp.ObjectType.OctetString, value });

export function varbindsOf(n: RgNotification): { trapOid: string; varbinds: Varbind[] } {
  const common = [str(RG.neName, n.node), str(RG.location, n.object)];
  const tail = [
    str(RG.eventTime, new Date(n.eventTime).toISOString()),
    { oid: RG.serial, type: snmp.ObjectType.Gauge, value: n.serial >>> 0 },
  ];
  if (n.kind === 'switch') {
    return {
      trapOid: RG.protectionSwitch,
      varbinds: [
        ...common,
        { oid: RG.switchState, type: snmp.ObjectType.Integer, value: SWITCH_CODE[n.state] },
        ...tail,
      ],
    };
  }
  const sev = n.kind === 'clear' ? 'cleared' : (n.severity ?? 'major');
  return {
    trapOid: n.kind === 'raise' ? RG.alarmRaise : RG.alarmClear,
    varbinds: [
      ...common,
      str(RG.alarmName, n.alarmName),
      { oid: RG.severity, type: snmp.ObjectType.Integer, value: SEVERITY_CODE[sev] ?? 2 },
      ...tail,
      ...(n.text ? [str(RG.text, n.text)] : []),
    ],
  };
}

export interface SenderOptions {
  host: string;
  port: number;
  version?: '1' | '2c' | '3';
  community?: string;
  user?: SnmpUser;
  inform?: boolean;
  timeoutMs?: number;
}

export class TrapSender {
  private readonly session: ReturnType<typeof snmp.createSession>;

  constructor(readonly opts: SenderOptions) {
    const common = { port: opts.port, trapPort: opts.port, timeout: opts.timeoutMs ?? 2000, retries: 1 };
    if (opts.version === '3') {
      this.session = snmp.createV3Session(opts.host, usmUser(opts.user!), { ...common, version: snmp.Version3 });
    } else {
      this.session = snmp.createSession(opts.host, opts.community ?? 'public', {
        ...common,
        version: opts.version === '1' ? snmp.Version1 : snmp.Version2c,
      });
    }
  }

  /** Sends a raw notification; resolves when sent (trap) or answered (inform). */
  send(trapOid: string, varbinds: Varbind[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const cb = (err: Error | null) => (err ? reject(err) : resolve());
      if (this.opts.inform) this.session.inform(trapOid, varbinds, cb);
      else this.session.trap(trapOid, varbinds, cb);
    });
  }

  notify(n: RgNotification): Promise<void> {
    const { trapOid, varbinds } = varbindsOf(n);
    return this.send(trapOid, varbinds);
  }

  close(): void {
    try {
      this.session.close();
    } catch {
      /* already closed */
    }
  }
}

// EMS northbound link monitor: an EMS announces itself with keepalives (Huawei V1
// hwNmNorthboundEventKeepAlive, iMAP heartbeat). When none arrives for `misses` periods the NOC
// is blind to that EMS's NEs: EMS-LINK-DOWN is raised on the EMS (a management fault, no
// traffic impact); the next keepalive clears it. Timers run on the injected RxJS scheduler.
import type { SchedulerLike, Subscription } from 'rxjs';
import type { Logger } from 'pino';
import type { AlarmEvent } from '../../core/alarms/events.js';

export const EMS_LINK_DOWN = 'EMS-LINK-DOWN';

export interface EmsLinkOptions {
  /** Expected keepalive period (an iMAP heartbeat's own period wins). */
  periodMs: number;
  /** Periods without a keepalive before the link is down. */
  misses: number;
  scheduler: SchedulerLike;
  /** Whether EMS-LINK-DOWN is already active on this EMS (after a restart of ringguard). */
  isDown?: (ems: string) => boolean;
  /** The link came back (after EMS-LINK-DOWN): alarms may have been missed meanwhile. */
  onUp?: (ems: string) => void;
  logger?: Logger;
}

interface Link {
  periodMs: number;
  down: boolean;
  timer: Subscription | null;
}

export class EmsLinkMonitor {
  private readonly links = new Map<string, Link>();
  readonly stats = { keepalives: 0, linkDowns: 0 };

  constructor(
    private readonly opts: EmsLinkOptions,
    private readonly sink: (ev: AlarmEvent) => void,
  ) {}

  /** Watch an EMS from now on, before its first keepalive (a configured EMS). */
  expect(ems: string): void {
    this.arm(ems, this.link(ems));
  }

  heartbeat(ems: string, periodMs?: number): void {
    this.stats.keepalives++;
    const l = this.link(ems);
    if (periodMs && periodMs > 0) l.periodMs = periodMs;
    if (l.down) {
      l.down = false;
      this.opts.logger?.info({ ems }, 'EMS northbound link up');
      this.sink(this.event(ems, 'clear'));
      this.opts.onUp?.(ems);
    }
    this.arm(ems, l);
  }

  watches(ems: string): boolean {
    return this.links.has(ems);
  }

  /** The EMSes being watched, and whether their link is down. */
  status(): Array<{ ems: string; down: boolean; periodMs: number }> {
    return [...this.links].map(([ems, l]) => ({ ems, down: l.down, periodMs: l.periodMs }));
  }

  stop(): void {
    for (const l of this.links.values()) l.timer?.unsubscribe();
  }

  private link(ems: string): Link {
    let l = this.links.get(ems);
    if (!l)
      this.links.set(ems, (l = { periodMs: this.opts.periodMs, down: this.opts.isDown?.(ems) ?? false, timer: null }));
    return l;
  }

  private arm(ems: string, l: Link): void {
    l.timer?.unsubscribe();
    l.timer = this.opts.scheduler.schedule(() => this.expire(ems, l), l.periodMs * this.opts.misses);
  }

  private expire(ems: string, l: Link): void {
    l.timer = null;
    if (l.down) return;
    l.down = true;
    this.stats.linkDowns++;
    this.opts.logger?.warn(
      { ems, silentMs: l.periodMs * this.opts.misses },
      'EMS northbound keepalive missing: EMS-LINK-DOWN',
    );
    this.sink(this.event(ems, 'raise'));
  }

  private event(ems: string, kind: 'raise' | 'clear'): AlarmEvent {
    const now = this.opts.scheduler.now();
    return {
      kind,
      node: ems,
      object: '',
      type: EMS_LINK_DOWN,
      vendorName: EMS_LINK_DOWN,
      severity: kind === 'raise' ? 'major' : 'cleared',
      eventTime: now,
      receivedAt: now,
      ems,
      ...(kind === 'raise'
        ? { text: "no northbound keepalive from the EMS: its NEs' alarms are not reaching ringguard" }
        : {}),
    };
  }
}

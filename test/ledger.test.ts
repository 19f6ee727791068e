// The alarm ledger on its own: pairing on (node, object, type), repeats, coming back within the
// reopen window, clears before raises, stale clears, flapping.
import { describe, expect, it } from 'vitest';
import { loadTopologyOrThrow } from '../src/adapters/files/topology-file.js';
import { AlarmLedger } from '../src/core/alarms/ledger.js';
import type { AlarmEvent } from '../src/core/alarms/events.js';
import { DEMO } from './helpers/harness.js';

const graph = loadTopologyOrThrow(DEMO);
const ev = (kind: 'raise' | 'clear', eventTime: number, object = '1-1'): AlarmEvent => ({
  kind,
  node: 'XT-A1',
  object,
  type: 'LOS',
  vendorName: 'R_LOS',
  severity: kind === 'raise' ? 'critical' : 'cleared',
  eventTime,
});
const kinds = (l: AlarmLedger, e: AlarmEvent, now = e.eventTime) =>
  l.apply(e, now).map((c) => `${c.kind} ${c.alarm.id} ${c.alarm.state}`);

describe('alarm ledger', () => {
  it('pairs, counts repeats, and brings an alarm back within the reopen window', () => {
    const l = new AlarmLedger(graph, { reopenWindowMs: 25_000 });
    expect(kinds(l, ev('raise', 0))).toEqual(['new ALM-1 active']);
    expect(kinds(l, ev('raise', 100))).toEqual(['repeat ALM-1 active']);
    expect(l.get('ALM-1')!.count).toBe(2);
    expect(kinds(l, ev('clear', 1000))).toEqual(['cleared ALM-1 cleared']);
    expect(kinds(l, ev('raise', 20_000))).toEqual(['back ALM-1 active']);
    expect(kinds(l, ev('clear', 21_000))).toEqual(['cleared ALM-1 cleared']);
    expect(kinds(l, ev('raise', 60_000))).toEqual(['new ALM-2 active']);
    expect(l.activeAt('XT-A1', '1-1', 'LOS')!.id).toBe('ALM-2');
  });

  it('holds a clear that overtakes its raise, and ignores a stale clear', () => {
    const l = new AlarmLedger(graph, { reopenWindowMs: 25_000 });
    expect(kinds(l, ev('clear', 500), 0)).toEqual([]);
    expect(kinds(l, ev('raise', 0), 10)).toEqual(['new ALM-1 cleared', 'cleared ALM-1 cleared']);
    expect(l.get('ALM-1')!.clearedAt).toBe(500);
    kinds(l, ev('raise', 90_000, '2-1'));
    expect(kinds(l, ev('clear', 80_000, '2-1'))).toEqual([]);
    expect(l.stats.staleClears).toBe(1);
    expect(l.activeAt('XT-A1', '2-1', 'LOS')).toBeTruthy();
  });

  it('drops a held clear whose raise never comes', () => {
    const l = new AlarmLedger(graph, { reopenWindowMs: 25_000 });
    l.apply(ev('clear', 0, '3-1'), 0);
    expect(l.nextExpiry()).toBe(25_000);
    l.expire(25_000);
    expect(l.stats.orphanClears).toBe(1);
    expect(kinds(l, ev('raise', 30_000, '3-1'))).toEqual(['new ALM-1 active']);
  });

  it('marks an alarm flapping after five raises in a minute', () => {
    const l = new AlarmLedger(graph, { reopenWindowMs: 25_000 });
    for (let i = 0; i < 5; i++) {
      l.apply(ev('raise', i * 3000), i * 3000);
      l.apply(ev('clear', i * 3000 + 1500), i * 3000 + 1500);
    }
    expect(l.get('ALM-1')!.flapping).toBe(true);
    expect(l.size().alarms).toBe(1);
  });
});

// Serial dedup per sender, and the simulator's serials across drills.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serialCounter } from '../src/cli/simulate.js';
import { Harness } from './helpers/harness.js';

const ev = (h: Harness, serial: number, object: string, sender = 'XT-A1') => ({
  kind: 'raise' as const,
  node: 'XT-A1',
  object,
  type: 'LOF',
  vendorName: 'R_LOF',
  severity: 'critical' as const,
  eventTime: h.now,
  sender,
  serial,
});

describe('serial dedup', () => {
  it('drops a repeated serial from the same sender, not from another sender', () => {
    const h = new Harness();
    h.push(ev(h, 10, '1-1'));
    h.push(ev(h, 10, '2-1'));
    expect(h.pipeline.counters.duplicates).toBe(1);
    h.push(ev(h, 10, '2-1', 'XT-A9'));
    expect(h.pipeline.counters.duplicates).toBe(1);
    expect([...h.alarms.values()].map((a) => a.object).sort()).toEqual(['1-1', '2-1']);
  });

  it('accepts a sender that restarted its counter', () => {
    const h = new Harness();
    for (let s = 5000; s < 5010; s++) h.push(ev(h, s, `9-${s}`));
    h.push(ev(h, 1, '3-1'));
    h.push(ev(h, 2, '4-1'));
    expect(h.pipeline.counters.duplicates).toBe(0);
    expect([...h.alarms.values()].filter((a) => a.object === '3-1' || a.object === '4-1')).toHaveLength(2);
  });

  it('forgets serials after the dedup window', () => {
    const h = new Harness();
    h.push(ev(h, 7, '1-1'));
    h.advance(121_000);
    h.push(ev(h, 7, '2-1'));
    expect(h.pipeline.counters.duplicates).toBe(0);
  });

  it('counts a gap', () => {
    const h = new Harness();
    h.push(ev(h, 1, '1-1'));
    h.push(ev(h, 2, '2-1'));
    h.push(ev(h, 9, '3-1'));
    expect(h.pipeline.counters.gaps).toBe(1);
  });
});

describe('simulate serials', () => {
  it('continue across drills against the same target', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rg-serial-')), 's.json');
    const now = Date.UTC(2026, 10, 29);
    const a = serialCounter(file, now);
    const first = [a('XT-A1'), a('XT-A1'), a('XT-A2')];
    expect(first[1]).toBe(first[0] + 1);
    for (let i = 0; i < 5000; i++) a('XT-A1');
    a.save();
    const b = serialCounter(file, now + 10); // a second drill 10 ms later
    expect(b('XT-A1')).toBeGreaterThan(first[1] + 5000);
  });
});

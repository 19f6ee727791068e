// Ticket lifecycle and escalation through the real pipeline on virtual time.
import { describe, expect, it } from 'vitest';
import { priorityOf } from '../src/core/tickets/engine.js';
import { Harness } from './helpers/harness.js';

describe('tickets', () => {
  it.each([
    [[], 'P4'],
    [[{ impact: 'protection-lost', priority: 'vip' }], 'P3'],
    [[{ impact: 'switched', priority: 'normal' }], 'P3'],
    [[{ impact: 'switch-required', priority: 'vip' }], 'P3'],
    [[{ impact: 'at-risk', priority: 'vip' }], 'P3'],
    [[{ impact: 'down', priority: 'normal' }], 'P2'],
    [[{ impact: 'switch-failed', priority: 'high' }], 'P2'],
    [
      [
        { impact: 'down', priority: 'normal' },
        { impact: 'switch-failed', priority: 'vip' },
      ],
      'P1',
    ],
    [
      [
        { impact: 'switched', priority: 'vip' },
        { impact: 'down', priority: 'vip' },
      ],
      'P1',
    ],
  ] as const)('priority of %j is %s', (impacts, p) => {
    expect(priorityOf(impacts)).toBe(p);
  });

  it('escalates an unacknowledged ticket one level per period, at most to 3', () => {
    const h = new Harness(undefined, { escalateAfterMs: 60_000 });
    h.raise('XT-A5', '11-1', 'R_LOS'); // access cut, CKT-0002 (vip) down -> P1, starts at level 2
    h.raise('XT-A3', '4-1:2', 'T_ALOS'); // e1 fault on CKT-0006... vip too
    h.raise('XT-A2', '4-1:3', 'T_ALOS'); // e1 fault on CKT-0016 (normal) -> P2, level 1
    h.advance(3000);
    const byPriority = (p: string) => [...h.tickets.values()].find((t) => t.priority === p)!;
    const p2 = byPriority('P2');
    expect(p2.escalation).toMatchObject({ level: 1, group: 'duty' });
    expect(byPriority('P1').escalation).toMatchObject({ level: 2, group: 'implementation' });
    h.advance(60_000);
    expect(h.tickets.get(p2.id)!.escalation).toMatchObject({ level: 2, group: 'implementation' });
    h.advance(60_000);
    expect(h.tickets.get(p2.id)!.escalation).toMatchObject({ level: 3, group: 'leadership' });
    const seq = h.tickets.get(p2.id)!.seq;
    h.advance(600_000);
    expect(h.tickets.get(p2.id)!.escalation.level).toBe(3);
    expect(h.tickets.get(p2.id)!.seq).toBe(seq);
  });

  it('stops escalating once acknowledged', () => {
    const h = new Harness(undefined, { escalateAfterMs: 60_000 });
    h.raise('XT-A2', '4-1:3', 'T_ALOS');
    h.advance(3000);
    const t = [...h.tickets.values()][0];
    const r = h.command({ kind: 'ack', ticket: t.id, by: 'noc' });
    expect(r.ok).toBe(true);
    h.advance(300_000);
    expect(h.tickets.get(t.id)).toMatchObject({ state: 'acknowledged', ackBy: 'noc', escalation: { level: 1 } });
  });

  it('resolves with the incident, reopens with it, and closes only when resolved', () => {
    const h = new Harness();
    h.raise('XT-A2', '4-1:3', 'T_ALOS');
    h.advance(3000);
    const t = [...h.tickets.values()][0];
    expect(h.command({ kind: 'close', ticket: t.id, by: 'noc', note: null })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    h.clear('XT-A2', '4-1:3', 'T_ALOS');
    expect(h.tickets.get(t.id)).toMatchObject({ state: 'resolved' });
    h.advance(5000);
    h.raise('XT-A2', '4-1:3', 'T_ALOS'); // within 10 x hold-down: same incident reopens
    expect(h.tickets.get(t.id)).toMatchObject({ state: 'open', resolvedAt: null });
    expect(h.liveIncidents()).toHaveLength(1);
    h.clear('XT-A2', '4-1:3', 'T_ALOS');
    expect(h.command({ kind: 'close', ticket: t.id, by: 'noc', note: 'replaced 2M cable' })).toMatchObject({
      ok: true,
    });
    expect(h.tickets.get(t.id)).toMatchObject({ state: 'closed', closedBy: 'noc' });
    h.advance(5000);
    h.raise('XT-A2', '4-1:3', 'T_ALOS'); // back within the reopen window: the closed ticket reopens with its incident
    expect(h.tickets.get(t.id)).toMatchObject({ state: 'open', closedBy: null, resolvedAt: null });
    h.clear('XT-A2', '4-1:3', 'T_ALOS');
    h.advance(60_000);
    h.raise('XT-A2', '4-1:3', 'T_ALOS'); // beyond the reopen window: a new incident and ticket
    h.advance(3000);
    expect(h.liveIncidents()).toHaveLength(2);
    expect(h.tickets.size).toBe(2);
  });

  it('every change gets a new, increasing seq', () => {
    const h = new Harness();
    const seqs: number[] = [];
    h.pipeline.output$.subscribe((o) => {
      for (const t of o.tickets) seqs.push(t.seq);
    });
    h.raise('XT-A1', '1-1', 'R_LOS');
    h.raise('XT-A2', '2-1', 'R_LOS');
    h.advance(3000);
    h.advance(10_000);
    h.clear('XT-A1', '1-1', 'R_LOS');
    h.clear('XT-A2', '2-1', 'R_LOS');
    expect(seqs.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
  });
});

describe('impacts: each ticket from its own incident', () => {
  const impactOf = (t: { impacts: Array<{ circuit: string; impact: string }> }, circuit: string) =>
    t.impacts.find((i) => i.circuit === circuit)?.impact;

  it('an access cut that takes a VIP circuit down is P1; the span cut that took its protection is not', () => {
    const h = new Harness();
    h.raise('XT-A3', '1-1', 'R_LOS'); // S-A3-A4 cut: protection path of CKT-0001 (vip), working of CKT-0003 (vip)
    h.raise('XT-A4', '2-1', 'R_LOS');
    h.switch('XT-A3', '1-1', 'toProtection');
    h.switch('XT-A4', '2-1', 'toProtection');
    h.advance(3000);
    h.raise('XT-A3', '11-1', 'R_LOS'); // ACC-0001: CKT-0001 down
    h.advance(3000);
    const span = [...h.tickets.values()].find((t) => t.kind === 'span-cut')!;
    const access = [...h.tickets.values()].find((t) => t.kind === 'access-fiber-cut')!;
    expect(access).toMatchObject({
      priority: 'P1',
      affectedCircuits: ['CKT-0001'],
      impacts: [{ circuit: 'CKT-0001', customer: 'Xiangtan Iron & Steel (湘钢)', priority: 'vip', impact: 'down' }],
    });
    expect(impactOf(span, 'CKT-0001')).toBe('protection-lost');
    expect(impactOf(span, 'CKT-0003')).toBe('switched');
    expect(span.priority).toBe('P3');
    expect(span.titles).toEqual({
      'zh-CN': '光缆中断：段 S-A3-A4（XT-A3—XT-A4），双纤中断，2 条已倒换、8 条失去保护',
      en: 'Fibre cut on span S-A3-A4 (XT-A3—XT-A4), both fibres; 2 switched, 8 without protection',
    });
    expect(span.affectedCircuits).toEqual(span.impacts.map((i) => i.circuit));
    // The incident carries the same impacts as its ticket.
    expect(h.incidents.get(span.incidentId)!.impacts).toEqual(span.impacts);
  });

  it('follows the impacts as they change: a second cut segments the ring and the first ticket becomes P1', () => {
    const h = new Harness();
    h.raise('XT-A3', '1-1', 'R_LOS');
    h.raise('XT-A4', '2-1', 'R_LOS');
    h.switch('XT-A3', '1-1', 'toProtection');
    h.switch('XT-A4', '2-1', 'toProtection');
    h.advance(3000);
    const first = [...h.tickets.values()][0];
    expect(h.tickets.get(first.id)!.priority).toBe('P3');
    h.raise('XT-A1', '1-1', 'R_LOS'); // S-A1-A2: working of CKT-0001, whose protection S-A3-A4 is already cut
    h.raise('XT-A2', '2-1', 'R_LOS');
    h.advance(3000);
    const now = h.tickets.get(first.id)!;
    expect(impactOf(now, 'CKT-0001')).toBe('down');
    expect(now.priority).toBe('P1');
    expect(now.titles['zh-CN']).toMatch(/，4 条中断、2 条已倒换、4 条失去保护$/);
    const second = [...h.tickets.values()].find((t) => t.id !== first.id)!;
    expect(impactOf(second, 'CKT-0001')).toBe('down');
    expect(impactOf(second, 'CKT-0003')).toBe('switched'); // already on protection: this cut needs no switch
  });
});

describe('memory', () => {
  it('forgets incidents cleared long ago (SQLite keeps them), not open ones', () => {
    const h = new Harness();
    h.raise('XT-A5', '4-1:1', 'T_ALOS'); // 2M fault on CKT-0002
    h.raise('XT-A3', '1-1', 'R_LOS'); // unrelated span cut S-A3-A4
    h.advance(3000);
    h.clear('XT-A5', '4-1:1', 'T_ALOS');
    expect(h.pipeline.correlator.memory()).toMatchObject({ incidents: 2, alarms: 2 });
    h.advance(601_000);
    h.raise('XT-A6', '9-9', 'FAN_FAIL'); // any later decision lets the correlator tidy up
    h.advance(3000);
    expect(h.pipeline.correlator.memory()).toMatchObject({ incidents: 2, alarms: 2 }); // the span cut + the new one
    const open = h
      .liveIncidents()
      .filter((i) => i.state === 'open')
      .map((i) => i.kind)
      .sort();
    expect(open).toEqual(['span-cut', 'unclassified']);
  });
});

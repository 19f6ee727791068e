// The shared deadline queue: deadline order whatever the order of setting, moves and cancels.
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../src/core/time/deadline-queue.js';

describe('deadline queue', () => {
  it('fires in deadline order, not in the order deadlines were set', () => {
    const q = new DeadlineQueue<string>();
    q.set('late', 300);
    q.set('early', 100);
    q.set('middle', 200);
    expect(q.nextDue()).toBe(100);
    expect(q.takeDue(150)).toEqual(['early']);
    expect(q.takeDue(1000)).toEqual(['middle', 'late']);
    expect(q.nextDue()).toBeUndefined();
  });

  it('ties fire in the order they were set', () => {
    const q = new DeadlineQueue<string>();
    for (const k of ['b', 'a', 'c']) q.set(k, 5);
    expect(q.takeDue(5)).toEqual(['b', 'a', 'c']);
  });

  it('moving a deadline keeps one entry per key; a cancelled key never fires', () => {
    const q = new DeadlineQueue<string>();
    q.set('x', 100);
    q.set('y', 50);
    q.set('x', 10);
    q.put('y', null);
    expect(q.size).toBe(1);
    expect(q.get('x')).toBe(10);
    expect(q.takeDue(1000)).toEqual(['x']);
    q.set('x', 20);
    q.set('x', 30);
    expect(q.nextDue()).toBe(30);
  });

  it('stays in order through many reschedules (stale entries compacted)', () => {
    const q = new DeadlineQueue<number>();
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 10_000;
    const want = new Map<number, number>();
    for (let i = 0; i < 5000; i++) {
      const k = rnd() % 300;
      const at = rnd();
      q.set(k, at);
      want.set(k, at);
    }
    const fired = q.takeDue(Infinity);
    expect(fired.length).toBe(want.size);
    const ats = fired.map((k) => want.get(k)!);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
  });
});

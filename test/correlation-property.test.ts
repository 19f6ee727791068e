// Property: whatever the order the alarms of one fault arrive in, however late (up to 1.5 ×
// hold-down apart) and however often repeated, the fault ends as one incident of its kind.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncidentKind } from '../src/core/model.js';
import { DEMO, Harness } from './helpers/harness.js';

const HOLD = 2500;
type A = [node: string, object: string, name: string];

const FAULTS: Array<{ name: string; kind: IncidentKind; alarms: A[] }> = [
  {
    name: 'span cut with path symptoms',
    kind: 'span-cut',
    alarms: [
      ['XT-A1', '1-1', 'R_LOS'],
      ['XT-A2', '2-1', 'R_LOS'],
      ['XT-A3', '4-1:1', 'TU_AIS'],
      ['XT-A1', '4-1:1', 'LP_RDI'],
      ['XT-A3', '2-1', 'AU_AIS'],
    ],
  },
  {
    name: 'one-fibre cut',
    kind: 'span-cut',
    alarms: [
      ['XT-A3', '2-1', 'R_LOS'],
      ['XT-A2', '1-1', 'MS_RDI'],
      ['XT-A4', '2-1', 'AU_AIS'],
    ],
  },
  {
    name: 'node failure with AIS two hops away',
    kind: 'node-failure',
    alarms: [
      ['XT-A2', '1-1', 'R_LOS'],
      ['XT-A4', '2-1', 'R_LOF'],
      ['XT-A3', '', 'NE_COMMU_BREAK'],
      ['XT-A1', '1-1', 'AU_AIS'],
      ['XT-A5', '2-1', 'AU_AIS'],
    ],
  },
  {
    name: 'line board failure',
    kind: 'equipment-fault',
    alarms: [
      ['XT-A3', '1-1', 'HARD_BAD'],
      ['XT-A4', '2-1', 'R_LOS'],
      ['XT-A5', '2-1', 'AU_AIS'],
    ],
  },
  {
    name: 'customer unit dies',
    kind: 'cpe-failure',
    alarms: [
      ['CPE-0005', '', 'DYING_GASP'],
      ['XT-A2', '11-1', 'R_LOS'],
    ],
  },
  {
    name: '2M fault',
    kind: 'e1-tributary-fault',
    alarms: [
      ['XT-A5', '4-1:1', 'T_ALOS'],
      ['XT-A1', '4-1:2', 'E1_AIS'],
    ],
  },
];

/** Each alarm once at a random time, some sent again later (duplicates). */
const arrivals = (n: number) =>
  fc.tuple(
    fc.array(fc.integer({ min: 0, max: Math.floor(1.5 * HOLD) }), { minLength: n, maxLength: n }),
    fc.array(fc.option(fc.integer({ min: 1, max: Math.floor(1.5 * HOLD) }), { freq: 3 }), {
      minLength: n,
      maxLength: n,
    }),
  );

describe('one fault, any interleaving', () => {
  const graph = Harness.loadGraph(DEMO);
  for (const f of FAULTS) {
    it(`${f.name} is one ${f.kind}`, () => {
      fc.assert(
        fc.property(arrivals(f.alarms.length), ([times, again]) => {
          const sends: Array<{ at: number; a: A }> = [];
          f.alarms.forEach((a, i) => {
            sends.push({ at: times[i], a });
            if (again[i] != null) sends.push({ at: times[i] + again[i]!, a });
          });
          sends.sort((x, y) => x.at - y.at);
          const h = new Harness(graph);
          for (const s of sends) {
            h.at(s.at);
            h.raise(s.a[0], s.a[1], s.a[2]);
          }
          h.advance(4 * HOLD);
          const live = h.liveIncidents();
          const what = JSON.stringify({
            sends: sends.map((s) => [s.at, ...s.a]),
            live: live.map((i) => [i.id, i.kind, i.alarmCount]),
          });
          expect(
            live.map((i) => i.kind),
            what,
          ).toEqual([f.kind]);
          expect(live[0].alarmCount, what).toBe(f.alarms.length);
          h.close();
        }),
        { numRuns: 150, seed: 20261129 },
      );
    });
  }
});

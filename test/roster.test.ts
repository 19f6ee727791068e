// The roster file: validation with path-named problems (as the topology check), and who is on
// duty at a given time (day/night shifts, weekly rotation, overrides).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRosterFile } from '../src/adapters/files/roster-file.js';
import { dutyNow, onDuty } from '../src/core/notify/duty.js';
import { parseRoster, type Roster } from '../src/core/notify/roster.js';
import { run } from './helpers/env.js';
import { ROSTER, tmpDb } from './helpers/notify.js';

const ROOT = new URL('..', import.meta.url).pathname;
const example = (): Roster => {
  const r = loadRosterFile(ROSTER);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.roster;
};
const who = (r: Roster, group: 'duty' | 'implementation' | 'leadership', at: string) => {
  const d = onDuty(r, group, Date.parse(at));
  return [d.shift, d.people.map((p) => p.id)];
};

describe('who is on duty', () => {
  const r = example();
  it('day and night shifts, the teams rotating weekly from the start date', () => {
    expect(who(r, 'duty', '2026-11-03T08:00:00+08:00')).toEqual(['day', ['noc-wang']]);
    expect(who(r, 'duty', '2026-11-03T19:59:00+08:00')).toEqual(['day', ['noc-wang']]);
    expect(who(r, 'duty', '2026-11-03T20:00:00+08:00')).toEqual(['night', ['noc-li']]);
    // Past midnight the night shift still belongs to the day it started: Sunday night of week 0.
    expect(who(r, 'duty', '2026-11-09T07:59:00+08:00')).toEqual(['night', ['noc-li']]);
    expect(who(r, 'duty', '2026-11-09T08:00:00+08:00')).toEqual(['day', ['noc-zhang']]);
    expect(who(r, 'duty', '2026-11-16T22:00:00+08:00')).toEqual(['night', ['noc-li']]);
    expect(who(r, 'duty', '2026-10-28T10:00:00+08:00')).toEqual(['day', ['noc-zhang']]); // before the start: the rotation runs backwards too
  });
  it('an override replaces the rota for its time; standing members for the groups without a rota', () => {
    expect(who(r, 'duty', '2026-12-31T23:30:00+08:00')).toEqual(['override', ['noc-chen']]);
    expect(who(r, 'duty', '2027-01-01T08:00:00+08:00')[1]).not.toEqual(['noc-chen']);
    expect(who(r, 'implementation', '2026-11-03T03:00:00+08:00')).toEqual([null, ['eng-liu', 'dw-sun', 'hw-support']]);
    expect(dutyNow(r, Date.parse('2026-11-03T10:00:00+08:00')).map((d) => [d.level, d.group, d.people.length])).toEqual(
      [
        [1, 'duty', 1],
        [2, 'implementation', 3],
        [3, 'leadership', 1],
      ],
    );
  });
});

describe('roster check', () => {
  it('names the path of every problem', () => {
    const r = parseRoster({
      people: [
        { id: 'a', name: 'A' },
        { id: 'a', name: 'A2' },
        { id: 'b', name: 'B', fax: '1' },
      ],
      groups: {
        duty: {
          rota: { start: '2026-11-02', shifts: [{ name: 'day', from: '08:00', to: '25:00' }], slots: [{ day: ['x'] }] },
        },
        implementation: { members: ['ghost'] },
      },
      overrides: [{ group: 'duty', from: '2026-12-01T08:00:00+08:00', to: '2026-12-01T07:00:00+08:00', people: ['a'] }],
    });
    expect(r.ok).toBe(false);
    const lines = !r.ok ? r.problems.map((p) => `${p.path}: ${p.message}`) : [];
    expect(lines).toContain('groups.duty.rota.shifts[0].to: must be HH:MM (00:00-23:59)');
    expect(lines.some((l) => l.startsWith('people[2]: ') && l.includes('fax'))).toBe(true);

    const refs = parseRoster({
      people: [
        { id: 'a', name: 'A' },
        { id: 'a', name: 'A2' },
      ],
      groups: {
        duty: {
          rota: {
            start: '2026-11-02',
            shifts: [{ name: 'day', from: '08:00', to: '20:00' }],
            slots: [{ day: ['x'], night: ['a'] }],
          },
        },
        implementation: { members: ['ghost'] },
        leadership: {},
      },
      overrides: [{ group: 'duty', from: '2026-12-01T08:00:00+08:00', to: '2026-12-01T07:00:00+08:00', people: ['a'] }],
    });
    expect(!refs.ok && refs.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'people[1].id: duplicate id "a"',
      'groups.duty.rota.slots[0].day[0]: person "x" does not exist',
      'groups.duty.rota.slots[0].night: shift "night" is not in shifts',
      'groups.implementation.members[0]: person "ghost" does not exist',
      'groups.leadership: needs members or a rota',
      'overrides[0].to: must be after from',
    ]);
  });

  it('ringguard roster check: exit 0 and who is on duty, or exit 1 and one line per problem', async () => {
    const cli = ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), 'roster', 'check'];
    const ok = await run(process.execPath, [...cli, ROSTER], 20_000);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /^ok: 9 people; on duty now: duty: .+; implementation: 刘工（传输）, 孙师傅（代维）, 厂家技术支持; leadership: 周总（应急领导小组）\n$/,
    );
    const bad = join(tmpDb(), '..', 'roster.yaml');
    writeFileSync(bad, 'people:\n  - { id: a, name: A }\ngroups:\n  duty: { members: [b] }\n');
    const r = await run(process.execPath, [...cli, bad], 20_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('groups.duty.members[0]: person "b" does not exist\n');
  });
});

describe('the example notify config', () => {
  it('parses, and its roster path is found beside it', async () => {
    const { resolveConfig } = await import('../src/cli/config.js');
    const { rosterPath } = await import('../src/adapters/files/roster-file.js');
    const file = new URL('../fixtures/config.notify.example.yaml', import.meta.url).pathname;
    const cfg = resolveConfig({}, {}, file);
    expect(cfg.notify.receivers.map((r) => r.type)).toEqual(['webhook', 'wecom', 'dingtalk', 'email', 'sms']);
    expect(cfg.notify.routes).toHaveLength(3);
    expect(loadRosterFile(rosterPath(cfg.roster!, cfg.configDir)).ok).toBe(true);
  });
});

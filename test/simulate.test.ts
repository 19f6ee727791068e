// Each drill scenario, sent as real SNMP traps by `ringguard simulate` to a fresh service,
// yields the incident kinds its name says and the circuit states the scenario expects.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadTopologyOrThrow } from '../src/adapters/files/topology-file.js';
import { resolveConfig } from '../src/cli/config.js';
import { runSimulate } from '../src/cli/simulate.js';
import { startService } from '../src/service.js';
import { fetchCurrentState } from '../src/cli/current-state.js';
import { predict } from '../src/simulation/predict.js';
import { buildScenario, SCENARIO_NAMES } from '../src/simulation/scenarios.js';
import { DEMO } from './helpers/harness.js';
import { freeTcpPort, freeUdpPort, waitFor } from './helpers/env.js';

const graph = loadTopologyOrThrow(DEMO);

describe('ringguard simulate, scenario by scenario, against a fresh service', () => {
  it('lists every contract scenario', () => {
    expect([...SCENARIO_NAMES].sort()).toEqual(
      [
        'access-fiber-cut',
        'cpe-failure',
        'e1-fault',
        'node-failure',
        'power-failure',
        'router-fault',
        'single-fibre-cut',
        'span-cut',
        'storm',
      ].sort(),
    );
  });

  const cases: Array<[string, (typeof SCENARIO_NAMES)[number], boolean]> = [
    ...SCENARIO_NAMES.map((n) => [n, n, true] as [string, (typeof SCENARIO_NAMES)[number], boolean]),
    ['span-cut --no-switch', 'span-cut', false],
  ];
  const informs = new Set(['e1-fault']); // sent as v2c INFORMs, which the receiver answers

  it('cuts the span it is told to, and refuses an unknown one', () => {
    const sc = buildScenario(graph, 'span-cut', { span: 'S-A1-A2', switches: false });
    expect(sc.expect.circuits).toMatchObject({ 'CKT-0001': 'switch-required', 'CKT-0016': 'down' });
    expect(sc.raise.every((n) => n.kind !== 'switch')).toBe(true);
    expect(() => buildScenario(graph, 'span-cut', { span: 'S-NOPE' })).toThrow(/does not exist/);
  });
  it('the correlator itself predicts the incidents each drill says it causes (simulate prints the prediction)', () => {
    const timers = { holdDownMs: 300, switchTimeoutMs: 10_000, wtrMs: 300_000 };
    for (const name of SCENARIO_NAMES) {
      const sc = buildScenario(graph, name, {});
      const [decided] = predict(graph, sc, undefined, timers, 1_000_000);
      expect([...decided.incidents].sort(), name).toEqual([...sc.expect.incidents].sort());
    }
  });
  for (const [title, name, switches] of cases) {
    it(
      title,
      async () => {
        const sc = buildScenario(graph, name, { switches });
        const dir = mkdtempSync(join(tmpdir(), `rg-sim-${name}-`));
        const cfg = resolveConfig(
          {
            db: join(dir, 'rg.db'),
            httpPort: String(await freeTcpPort()),
            trapPort: String(await freeUdpPort()),
            holdDownMs: '300',
            topology: DEMO,
          },
          {},
        );
        const svc = await startService(cfg, pino({ level: 'silent' }), {});
        try {
          const code = await runSimulate(name, {
            list: false,
            target: `127.0.0.1:${svc.trapPort}`,
            topology: DEMO,
            rate: 2000,
            community: 'public',
            inform: informs.has(title),
            switches,
          });
          expect(code).toBe(0);
          const want = [...sc.expect.incidents].sort();
          const kinds = () =>
            svc.store
              .listIncidents({ state: 'open', limit: 1000 })
              .items.filter((i) => !i.mergedInto)
              .map((i) => i.kind)
              .sort();
          // Every notification received and processed, every alarm past its hold-down.
          await waitFor(
            () => {
              const p = svc.progress();
              return (
                p.trapsReceived >= sc.raise.length && p.queued === 0 && p.pending === 0 && kinds().length >= want.length
              );
            },
            10_000,
            `incidents ${want.join(',')} (got ${kinds().join(',')}; ${JSON.stringify(svc.progress())})`,
          );
          await new Promise((r) => setTimeout(r, 50)); // the batched SQLite write
          expect(kinds()).toEqual(want);
          // Every alarm belongs to an incident.
          expect(svc.store.listAlarms({ state: 'all', limit: 1000 }).items.filter((a) => !a.incidentId)).toEqual([]);
          for (const [id, state] of Object.entries(sc.expect.circuits)) {
            expect(svc.store.getCircuit(id)?.state, `${name}: ${id}`).toBe(state);
          }
          expect(svc.store.ticketsSince(0, 1000).length).toBe(want.length);
          if (!switches) expect(Object.values(sc.expect.circuits)).toContain('switch-required');
        } finally {
          await svc.stop();
        }
      },
      30_000,
    );
  }
});

describe("simulate predicts from the circuits' current states", () => {
  it('the second drill right after the first: what it predicts (over REST) is what the service shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-sim-predict-'));
    const timers = { holdDownMs: 300, switchTimeoutMs: 1500, wtrMs: 300_000 };
    const cfg = resolveConfig(
      {
        db: join(dir, 'rg.db'),
        httpPort: String(await freeTcpPort()),
        trapPort: String(await freeUdpPort()),
        topology: DEMO,
        holdDownMs: '300',
        switchTimeoutMs: '1500',
      },
      {},
    );
    const svc = await startService(cfg, pino({ level: 'silent' }), {});
    const api = `http://127.0.0.1:${svc.httpPort}`;
    const settle = () =>
      waitFor(
        () => {
          const p = svc.progress();
          return p.queued === 0 && p.pending === 0;
        },
        10_000,
        'settled',
      );
    try {
      // Drill 1: S-A6-A1 cut with the network's switches, repaired: revertive circuits in WTR, SNCP ones left on protection.
      const opts = {
        list: false,
        target: `127.0.0.1:${svc.trapPort}`,
        topology: DEMO,
        rate: 2000,
        community: 'public',
        inform: false,
        api,
        ...timers,
      };
      expect(await runSimulate('span-cut', { ...opts, duration: 500 })).toBe(0);
      await waitFor(
        () => svc.store.getCircuit('CKT-0002')?.state === 'wtr',
        10_000,
        'CKT-0002 in WTR after the first drill',
      );
      await settle();
      // Drill 2: S-A1-A2 cut, the network does not switch.
      const now = await fetchCurrentState(api);
      expect(now.ok).toBe(true);
      const sc = buildScenario(graph, 'span-cut', { span: 'S-A1-A2', switches: false });
      const [decided, timedOut] = predict(graph, sc, now.ok ? now.state : undefined, timers, Date.now());
      // Circuits in WTR or on protection whose protection path is cut need a switch back to working.
      expect(decided.states).toMatchObject({
        'CKT-0001': 'switch-required',
        'CKT-0002': 'switch-required',
        'CKT-0007': 'switch-required',
        'CKT-0016': 'down',
      });
      expect(timedOut).toMatchObject({ name: 'after the switch timeout', states: { 'CKT-0002': 'switch-failed' } });
      expect(await runSimulate('span-cut', { ...opts, span: 'S-A1-A2', switches: false })).toBe(0);
      await waitFor(() => svc.store.getCircuit('CKT-0002')?.state === 'switch-failed', 10_000, 'the switch timeout');
      await settle();
      await new Promise((r) => setTimeout(r, 50));
      for (const [id, state] of Object.entries(timedOut.states))
        expect(svc.store.getCircuit(id)?.state, id).toBe(state);
      // Unreachable API: the prediction starts from a healthy network, and says so.
      expect(await fetchCurrentState('http://127.0.0.1:9', undefined, 500)).toMatchObject({ ok: false });
    } finally {
      await svc.stop();
    }
  }, 60_000);
});

describe('the service counts what the receiver thread rejects', () => {
  it('a wrong community and garbage show in /metrics, and good traps still flow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-svc-metrics-'));
    const cfg = resolveConfig(
      {
        db: join(dir, 'rg.db'),
        httpPort: String(await freeTcpPort()),
        trapPort: String(await freeUdpPort()),
        holdDownMs: '300',
        topology: DEMO,
      },
      {},
    );
    const svc = await startService(cfg, pino({ level: 'silent' }), {});
    try {
      const { TrapSender } = await import('../src/adapters/snmp/sender.js');
      const bad = new TrapSender({ host: '127.0.0.1', port: svc.trapPort, community: 'nope' });
      await bad.notify({
        kind: 'raise',
        node: 'XT-A1',
        object: '1-1',
        alarmName: 'R_LOS',
        eventTime: Date.now(),
        serial: 1,
      });
      bad.close();
      const dgram = await import('node:dgram');
      const s = dgram.createSocket('udp4');
      await new Promise<void>((r) => s.send(Buffer.from([1, 2, 3]), svc.trapPort, '127.0.0.1', () => r()));
      s.close();
      const good = new TrapSender({ host: '127.0.0.1', port: svc.trapPort });
      await good.notify({
        kind: 'raise',
        node: 'XT-A2',
        object: '2-1',
        alarmName: 'R_LOS',
        eventTime: Date.now(),
        serial: 1,
      });
      good.close();
      const metrics = async () => await (await fetch(`http://127.0.0.1:${svc.httpPort}/metrics`)).text();
      await waitFor(
        async () => {
          const m = await metrics();
          return (
            /ringguard_traps_rejected_total\{reason="bad-community"\} 1/.test(m) &&
            /ringguard_traps_rejected_total\{reason="malformed"\} 1/.test(m) &&
            /^ringguard_traps_received_total 1$/m.test(m)
          );
        },
        5000,
        'rejections and the good trap counted',
      );
      await waitFor(() => svc.store.counts().alarmsActive === 1, 3000, 'the good trap became an alarm');
    } finally {
      await svc.stop();
    }
  });
});

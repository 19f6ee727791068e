// `ringguard simulate`: sends a drill scenario as real SNMP traps (net-snmp) to a running service.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopologyFile } from '../adapters/files/topology-file.js';
import { NBI_LAYOUTS, type NbiLayout } from '../adapters/snmp/huawei-nbi.js';
import { TrapSender, type RgNotification } from '../adapters/snmp/sender.js';
import type { IncidentKind } from '../core/model.js';
import type { TopologyGraph } from '../core/topology/graph.js';
import { formatProblemWithId } from '../core/topology/validate.js';
import { describeStates, predict } from '../simulation/predict.js';
import { fetchCurrentState } from './current-state.js';
import { loadReplay, replay, sendHuawei } from './simulate-huawei.js';
import {
  buildScenario,
  SCENARIO_HELP,
  SCENARIO_NAMES,
  type Scenario,
  type ScenarioName,
  type SimNotification,
} from '../simulation/scenarios.js';

export interface SimulateOptions {
  list: boolean;
  target: string;
  topology: string;
  rate: number;
  duration?: number;
  community: string;
  inform: boolean;
  /** false: send no protection switch events (a switch-failure drill). */
  switches?: boolean;
  /** span-cut / single-fibre-cut: the span to cut. */
  span?: string;
  /** `huawei`: sent as a Huawei EMS forwards them over its northbound interface. */
  vendor?: 'native' | 'huawei';
  /** With `vendor: huawei`: the NBI layout (default v1, HW-IMAPV1NORTHBOUND-TRAP-MIB). */
  layout?: NbiLayout;
  /** A recorded NBI trap file to send as is (fixtures/nbi/), instead of a scenario. */
  replay?: string;
  /** The service's REST API, for the circuits' current states (default http://HOST:8080). */
  api?: string;
  /** Bearer token for the REST API (RINGGUARD_API_TOKEN). */
  token?: string;
  /** The service's timers, for the prediction (defaults: the contract's). */
  holdDownMs?: number;
  switchTimeoutMs?: number;
  wtrMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Serials per sender (NE), continuing across drills against the same target: the last serial
 * of each NE is kept in a small state file, so a later drill never repeats an earlier serial
 * (ringguard would drop it as a duplicate). Without the file, serials start from the clock.
 */
export function serialCounter(stateFile?: string, now = Date.now()) {
  let last: Record<string, number> = {};
  if (stateFile) {
    try {
      last = JSON.parse(readFileSync(stateFile, 'utf8'));
    } catch {
      last = {};
    }
  }
  const base = Math.floor((now - Date.UTC(2026, 0, 1)) / 10) % 4_000_000_000; // centiseconds
  const next = (node: string) => {
    const n = Math.max((last[node] ?? 0) + 1, base);
    last[node] = n;
    return n;
  };
  next.save = () => {
    if (!stateFile) return;
    try {
      writeFileSync(stateFile, JSON.stringify(last));
    } catch {
      /* best effort */
    }
  };
  return next as typeof next & { save(): void };
}

export async function sendAll(
  sender: TrapSender,
  list: SimNotification[],
  rate: number,
  serial: (node: string) => number,
): Promise<number> {
  const gap = rate > 0 ? 1000 / rate : 0;
  const start = Date.now();
  let i = 0;
  for (const n of list) {
    const eventTime = Date.now();
    const msg: RgNotification =
      n.kind === 'switch' ? { ...n, eventTime, serial: serial(n.node) } : { ...n, eventTime, serial: serial(n.node) };
    await sender.notify(msg);
    i++;
    const wait = start + i * gap - Date.now();
    if (wait > 1) await sleep(wait);
  }
  return i;
}

/** `--replay FILE`: a recorded trap file sent as is. */
async function runReplay(o: SimulateOptions, host: string, port: number): Promise<number> {
  let file;
  try {
    file = loadReplay(o.replay!);
  } catch (e) {
    process.stderr.write(`ringguard: ${(e as Error).message}\n`);
    return 2;
  }
  const sender = new TrapSender({ host, port, community: o.community, version: '2c', inform: o.inform });
  return sending(sender, async () => {
    if (file.description) process.stdout.write(`${file.description}\n`);
    const sent = await replay(sender, file.traps);
    process.stdout.write(`sent ${sent} notifications from ${o.replay} to ${o.target}\n`);
  });
}

/** Runs the sending part of a drill: exit code 0, or 1 with the reason when sending failed. */
async function sending(sender: TrapSender, body: () => Promise<void>, cleanup?: () => void): Promise<number> {
  try {
    await body();
    return 0;
  } catch (e) {
    process.stderr.write(`ringguard: sending failed: ${(e as Error).message}\n`);
    return 1;
  } finally {
    cleanup?.();
    sender.close();
  }
}

export async function runSimulate(name: string | undefined, o: SimulateOptions): Promise<number> {
  if (o.vendor !== undefined && o.vendor !== 'native' && o.vendor !== 'huawei') {
    process.stderr.write(`ringguard: --vendor must be native or huawei, got "${o.vendor}"\n`);
    return 2;
  }
  if (o.layout !== undefined && !NBI_LAYOUTS.includes(o.layout)) {
    process.stderr.write(`ringguard: --layout must be one of ${NBI_LAYOUTS.join(', ')}, got "${o.layout}"\n`);
    return 2;
  }
  if (o.replay && !o.list) {
    const t = /^(.+):(\d+)$/.exec(o.target);
    if (!t) {
      process.stderr.write(`ringguard: --target must be HOST:PORT, got "${o.target}"\n`);
      return 2;
    }
    return runReplay(o, t[1], Number(t[2]));
  }
  if (o.list || !name) {
    for (const n of SCENARIO_NAMES) process.stdout.write(`${n.padEnd(18)} ${SCENARIO_HELP[n]}\n`);
    return o.list ? 0 : 2;
  }
  if (!(SCENARIO_NAMES as readonly string[]).includes(name)) {
    process.stderr.write(`ringguard: unknown scenario "${name}"; one of: ${SCENARIO_NAMES.join(', ')}\n`);
    return 2;
  }
  const m = /^(.+):(\d+)$/.exec(o.target);
  if (!m) {
    process.stderr.write(`ringguard: --target must be HOST:PORT, got "${o.target}"\n`);
    return 2;
  }
  if (!Number.isFinite(o.rate) || o.rate <= 0 || (o.duration !== undefined && !(o.duration >= 0))) {
    process.stderr.write('ringguard: --rate must be > 0 and --duration >= 0\n');
    return 2;
  }
  for (const [flag, v] of [
    ['--hold-down-ms', o.holdDownMs],
    ['--switch-timeout-ms', o.switchTimeoutMs],
    ['--wtr-ms', o.wtrMs],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) {
      process.stderr.write(`ringguard: ${flag} must be a whole number of ms >= 0\n`);
      return 2;
    }
  }
  const t = loadTopologyFile(o.topology);
  if (!t.ok) {
    for (const p of t.problems) process.stderr.write(`${formatProblemWithId(p)}\n`);
    return 1;
  }
  let sc;
  try {
    sc = buildScenario(t.graph, name as ScenarioName, { switches: o.switches, span: o.span });
  } catch (e) {
    process.stderr.write(`ringguard: ${(e as Error).message}\n`);
    return 2;
  }
  const sender = new TrapSender({
    host: m[1],
    port: Number(m[2]),
    community: o.community,
    version: '2c',
    inform: o.inform,
  });
  const serial = serialCounter(join(tmpdir(), `ringguard-simulate-${m[1].replace(/[^\w.-]/g, '_')}-${m[2]}.json`));
  return sending(
    sender,
    async () => {
      process.stdout.write(
        `${sc.name}: ${sc.description}${o.vendor === 'huawei' ? ` (as Huawei EMS northbound traps, ${o.layout ?? 'v1'} layout)` : ''}\n`,
      );
      // Through an EMS every notification carries the EMS's own serial (an Integer32 in the MIB).
      const send = (list: typeof sc.raise) =>
        o.vendor === 'huawei'
          ? sendHuawei(sender, o.layout ?? 'v1', list, o.rate, () => serial('huawei-ems') % 2_000_000_000)
          : sendAll(sender, list, o.rate, serial);
      const expected = await printPrediction(t.graph, sc, o, m[1]);
      const sent = await send(sc.raise);
      process.stdout.write(
        `sent ${sent} notifications to ${o.target}; expect ${expected.length} incident(s): ${[...new Set(expected)].join(', ')}\n`,
      );
      if (o.duration !== undefined) {
        process.stdout.write(`repair in ${o.duration} ms…\n`);
        await sleep(o.duration);
        const cleared = await send(sc.clear);
        process.stdout.write(`sent ${cleared} clears\n`);
      }
    },
    () => serial.save(),
  );
}

/**
 * What the drill will do to the circuits, predicted from their current states (read over REST;
 * a network with every circuit ok when the API cannot be read), phase by phase. Returns the
 * incident kinds the correlator concludes after the hold-down (the core decides, not a table).
 */
async function printPrediction(
  g: TopologyGraph,
  sc: Scenario,
  o: SimulateOptions,
  host: string,
): Promise<IncidentKind[]> {
  const api = o.api ?? `http://${host.includes(':') ? `[${host}]` : host}:8080`;
  const now = await fetchCurrentState(api, o.token);
  if (now.ok)
    process.stdout.write(
      `circuits now (${api}): ${describeStates(Object.fromEntries(now.state.circuits.map((c) => [c.id, c.state])))}\n`,
    );
  else
    process.stdout.write(
      `circuits now: unknown (${api}: ${now.reason}); predicting from a network with every circuit ok\n`,
    );
  const phases = predict(
    g,
    sc,
    now.ok ? now.state : undefined,
    {
      holdDownMs: o.holdDownMs ?? 2500,
      switchTimeoutMs: o.switchTimeoutMs ?? 10_000,
      wtrMs: o.wtrMs ?? 300_000,
      durationMs: o.duration,
    },
    Date.now(),
  );
  for (const ph of phases)
    process.stdout.write(`predicted ${ph.name} (+${Math.round(ph.at / 1000)} s): ${describeStates(ph.states)}\n`);
  return phases[0]?.incidents ?? [];
}

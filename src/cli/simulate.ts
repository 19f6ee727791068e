// `ringguard simulate`: sends a drill scenario as real SNMP traps (net-snmp) to a running service.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopologyFile } from '../adapters/files/topology-file.js';
import { TrapSender, type RgNotification } from '../adapters/snmp/sender.js';
import { formatProblem } from '../core/topology/validate.js';
import { buildScenario, SCENARIO_HELP, SCENARIO_NAMES, type ScenarioName, type SimNotification } from '../simulation/scenarios.js';

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
    try { last = JSON.parse(readFileSync(stateFile, 'utf8')); } catch { last = {}; }
  }
  const base = Math.floor((now - Date.UTC(2026, 0, 1)) / 10) % 4_000_000_000; // centiseconds
  const next = (node: string) => {
    const n = Math.max((last[node] ?? 0) + 1, base);
    last[node] = n;
    return n;
  };
  next.save = () => {
    if (!stateFile) return;
    try { writeFileSync(stateFile, JSON.stringify(last)); } catch { /* best effort */ }
  };
  return next as typeof next & { save(): void };
}

export async function sendAll(sender: TrapSender, list: SimNotification[], rate: number, serial: (node: string) => number): Promise<number> {
  const gap = rate > 0 ? 1000 / rate : 0;
  const start = Date.now();
  let i = 0;
  for (const n of list) {
    const eventTime = Date.now();
    const msg: RgNotification = n.kind === 'switch'
      ? { ...n, eventTime, serial: serial(n.node) }
      : { ...n, eventTime, serial: serial(n.node) };
    await sender.notify(msg);
    i++;
    const wait = start + i * gap - Date.now();
    if (wait > 1) await sleep(wait);
  }
  return i;
}

export async function runSimulate(name: string | undefined, o: SimulateOptions): Promise<number> {
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
  const t = loadTopologyFile(o.topology);
  if (!t.ok) {
    for (const p of t.problems) process.stderr.write(`${formatProblem(p)}\n`);
    return 1;
  }
  let sc;
  try {
    sc = buildScenario(t.graph, name as ScenarioName, { switches: o.switches, span: o.span });
  } catch (e) {
    process.stderr.write(`ringguard: ${(e as Error).message}\n`);
    return 2;
  }
  const sender = new TrapSender({ host: m[1], port: Number(m[2]), community: o.community, version: '2c', inform: o.inform });
  const serial = serialCounter(join(tmpdir(), `ringguard-simulate-${m[1].replace(/[^\w.-]/g, '_')}-${m[2]}.json`));
  try {
    process.stdout.write(`${sc.name}: ${sc.description}\n`);
    const sent = await sendAll(sender, sc.raise, o.rate, serial);
    process.stdout.write(`sent ${sent} notifications to ${o.target}; expect ${sc.expect.incidents.length} incident(s): ${[...new Set(sc.expect.incidents)].join(', ')}\n`);
    const states = Object.entries(sc.expect.circuits);
    if (states.length) process.stdout.write(`expected circuit states: ${states.slice(0, 12).map(([c, s]) => `${c}=${s}`).join(' ')}${states.length > 12 ? ' …' : ''}\n`);
    if (o.duration !== undefined) {
      process.stdout.write(`repair in ${o.duration} ms…\n`);
      await sleep(o.duration);
      const cleared = await sendAll(sender, sc.clear, o.rate, serial);
      process.stdout.write(`sent ${cleared} clears\n`);
    }
    return 0;
  } catch (e) {
    process.stderr.write(`ringguard: sending failed: ${(e as Error).message}\n`);
    return 1;
  } finally {
    serial.save();
    sender.close();
  }
}

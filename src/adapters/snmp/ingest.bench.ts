// Benchmark: pre-encoded traps into `ringguard serve`, and Debian snmptrapd on the same streams.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TopologyGraph } from '../../core/topology/graph.js';
import {
  blast,
  DEMO,
  freePort,
  histPct,
  histogram,
  metric,
  peakRss,
  preEncode,
  r1,
  sleep,
  startSvc,
  summary,
  table,
  work,
} from '../../bench/lib.js';

// ---- 4. ingest into the running service, and Debian snmptrapd on the same stream ----------
export async function ingestBench(graph: TopologyGraph): Promise<void> {
  const packets = await preEncode(graph, 40_000);
  const rows: Array<Record<string, string | number>> = [];
  for (const rate of [10_000, 20_000, 'max'] as const) {
    const svc = await startSvc(DEMO, join(work, `ingest-${rate}.db`), ['--hold-down-ms', '500']);
    const stream = rate === 'max' ? packets : packets.slice(0, Math.min(packets.length, rate * 2));
    const before = await metric(svc.http, 'ringguard_traps_received_total');
    const { sent, secs } = await blast(svc.trap, stream, rate, 2);
    // Until the count stops moving: the time of its last increase ends the processing.
    let got = 0;
    const tStart = performance.now() - secs * 1000;
    let tDone = performance.now();
    // Until all are counted, or the count has not moved for 2 s (the service may be busy with a
    // backlog for a moment; a short pause is not the end).
    for (let last = -1, still = 0; got < sent && performance.now() - tDone < 15_000 && still < 20; await sleep(100)) {
      got = (await metric(svc.http, 'ringguard_traps_received_total')) - before;
      if (got !== last) {
        tDone = performance.now();
        still = 0;
      } else still++;
      last = got;
    }
    const procSecs = Math.max(secs, (tDone - tStart) / 1000 - 0.1);
    const drops = await metric(svc.http, 'ringguard_kernel_drops_total');
    const h = await histogram(svc.http, 'ringguard_pipeline_latency_seconds');
    rows.push({
      rate: rate === 'max' ? 'max' : `${rate / 1000}k/s`,
      sent,
      'send s': r1(secs),
      processed: got,
      'loss %': r1((100 * (sent - got)) / sent),
      'kernel drops': drops,
      'processed/s': Math.round(got / procSecs),
      'p50 ms': r1(histPct(h, 50) * 1000),
      'p99 ms': r1(histPct(h, 99) * 1000),
      'peak RSS MiB': r1(peakRss(svc.proc.pid!)),
    });
    await svc.stop();
  }
  table('ingest: pre-encoded v2c traps over loopback into `ringguard serve` (separate process)', rows);
  summary.ingest = rows;

  // Debian snmptrapd on the same stream, one short line per trap.
  const has = spawnSync('sh', ['-c', 'command -v snmptrapd']).status === 0;
  if (!has) {
    console.log('\n(snmptrapd not installed: apt-get install -y snmptrapd for the side-by-side rate)');
    return;
  }
  const conf = join(work, 'snmptrapd.conf');
  writeFileSync(conf, 'disableAuthorization yes\nformat2 T\\n\n');
  const side: Array<Record<string, string | number>> = [];
  let theirs = 0;
  for (const rate of [10_000, 20_000, 'max'] as const) {
    const port = await freePort('udp');
    const td = spawn('snmptrapd', ['-f', '-C', '-c', conf, '-Lo', '-m', '', `udp:127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let lines = 0;
    td.stdout!.on('data', (d: Buffer) => {
      for (const b of d) if (b === 10) lines++;
    });
    await sleep(800);
    const base = lines;
    const stream = rate === 'max' ? packets : packets.slice(0, Math.min(packets.length, rate * 2));
    const t0 = performance.now();
    const { sent, secs } = await blast(port, stream, rate, 2);
    let tDone = performance.now();
    for (
      let last = -1, still = 0;
      lines - base < sent && still < 20 && performance.now() - tDone < 15_000;
      await sleep(100)
    ) {
      if (lines !== last) {
        tDone = performance.now();
        still = 0;
      } else still++;
      last = lines;
    }
    td.kill('SIGTERM');
    const got = lines - base;
    const perS = Math.round(got / Math.max(secs, (tDone - t0) / 1000 - 0.1));
    if (rate === 'max') theirs = perS;
    const ours = rows.find((r) => r.rate === (rate === 'max' ? 'max' : `${rate / 1000}k/s`));
    side.push({
      rate: rate === 'max' ? 'max' : `${rate / 1000}k/s`,
      sent,
      'snmptrapd logged': got,
      'snmptrapd loss %': r1((100 * (sent - got)) / sent),
      'snmptrapd/s': perS,
      'ringguard loss %': ours?.['loss %'] ?? 'n/a',
      'ringguard processed/s': ours?.['processed/s'] ?? 'n/a',
    });
  }
  table('side by side: Debian snmptrapd (one short line per trap) on the same streams', side);
  summary.snmptrapd = side;
  summary.snmptrapdPerS = theirs;
}

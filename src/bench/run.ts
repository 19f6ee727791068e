// `npm run bench`: bounded, loopback-only benchmarks that stop by themselves. Each lives beside
// the code it measures; this runs them in order and prints a final one-line JSON summary.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { apiBench } from '../adapters/api/api.bench.js';
import { scaleTopology, scaleTopologyYaml } from '../adapters/files/topology.bench.js';
import { loadTopologyFile } from '../adapters/files/topology-file.js';
import { ingestBench } from '../adapters/snmp/ingest.bench.js';
import { impactBench } from '../core/protection/impact.bench.js';
import { pipelineBench } from '../pipeline/storm.bench.js';
import { stormBench } from '../service.bench.js';
import { cutCyclesBench } from '../cut-cycles.bench.js';
import { DEMO, r1, summary } from './lib.js';

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `# ringguard benchmarks — ${new Date().toISOString()} — ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  );
  const only = process.argv.slice(2);
  const want = (s: string) => !only.length || only.includes(s);
  const { file, graph } = await scaleTopology();
  if (want('topology-yaml')) await scaleTopologyYaml();
  if (want('impact')) impactBench(graph);
  if (want('pipeline')) pipelineBench(graph);
  const demo = loadTopologyFile(DEMO);
  if (!demo.ok) throw new Error('demo topology invalid');
  if (want('ingest')) await ingestBench(demo.graph);
  if (want('storm')) await stormBench(file, graph);
  if (want('cycles')) await cutCyclesBench();
  if (want('api')) await apiBench();
  summary.totalS = r1((performance.now() - started) / 1000);
  console.log('\n' + JSON.stringify({ bench: 'ringguard', ...summary }));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

#!/usr/bin/env node
// ringguard CLI: serve | topology check FILE | simulate SCENARIO --target HOST:PORT
import { Command, CommanderError, Option } from 'commander';
import { pino } from 'pino';
import { loadRosterFile } from '../adapters/files/roster-file.js';
import { importTopologyCsv, loadTopologyFile } from '../adapters/files/topology-file.js';
import { dutyNow } from '../core/notify/duty.js';
import { formatProblem, formatProblemWithId } from '../core/topology/validate.js';
import { checkConfigFile } from './config-check.js';
import { ConfigError, DEMO_TOPOLOGY, OPTION_SPECS, resolveConfig, type OptionName } from './config.js';
import { explainStartError } from './start-error.js';
import { runSimulate } from './simulate.js';
import { VERSION } from '../version.js';

async function main(argv: string[]): Promise<number> {
  const program = new Command('ringguard')
    .description('SDH ring alarm correlation, circuit protection state and tickets')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const serve = program
    .command('serve')
    .description('run the service (traps, poller, correlation, REST API)')
    .option(
      '--config <file>',
      'YAML config file (flag > env RINGGUARD_* > file > default); relative paths in it are relative to it',
    )
    .option('--demo', 'run the built-in demo network (needed outside the source tree when no topology is given)');
  for (const spec of Object.values(OPTION_SPECS)) {
    // Commander's attribute name (camelCase of the flag) is the option name.
    serve.addOption(new Option(spec.flag, `${spec.help} (default ${JSON.stringify(spec.default)})`));
  }
  serve.action(async (opts: Record<string, unknown>) => {
    const flags: Partial<Record<OptionName, unknown>> = {};
    for (const name of Object.keys(OPTION_SPECS) as OptionName[])
      if (opts[name] !== undefined) flags[name] = opts[name];
    let cfg;
    try {
      cfg = resolveConfig(flags, process.env, (opts.config as string | undefined) ?? process.env.RINGGUARD_CONFIG, {
        demo: !!opts.demo,
      });
    } catch (e) {
      if (e instanceof ConfigError) {
        process.stderr.write(`ringguard: ${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      throw e;
    }
    const logger = pino({ level: cfg.logLevel, base: { pid: process.pid } });
    const { startService } = await import('../service.js');
    let svc: Awaited<ReturnType<typeof startService>>;
    try {
      svc = await startService(cfg, logger);
    } catch (e) {
      const err = e as Error & { code?: string; problems?: unknown[] };
      if (e instanceof ConfigError) {
        process.stderr.write(`ringguard: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      if (err.problems) process.stderr.write(`ringguard: topology ${cfg.topology} is invalid:\n${err.message}\n`);
      else process.stderr.write(`ringguard: ${explainStartError(err, cfg)}\n`);
      process.exitCode = 1;
      return;
    }
    // SIGHUP: read the topology file again (the service logs the outcome, or each problem).
    const onHup = () => {
      logger.info({ signal: 'SIGHUP', file: cfg.topology }, 'reloading the topology');
      try {
        svc.reloadTopology();
      } catch (err) {
        logger.error({ err }, 'topology reload failed');
      }
    };
    process.on('SIGHUP', onHup);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        process.off('SIGHUP', onHup);
        logger.info({ signal }, 'stopping');
        svc.stop().then(
          () => {
            logger.info('stopped');
            resolve();
          },
          (err) => {
            logger.error({ err }, 'error while stopping');
            process.exitCode = 1;
            resolve();
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
  });

  const topology = program.command('topology').description('topology file tools');
  topology
    .command('check')
    .argument('<file>', 'topology file (YAML or JSON)')
    .description('validate a topology file')
    .action((file: string) => {
      const r = loadTopologyFile(file);
      if (r.ok) {
        process.stdout.write(`ok: ${r.graph.summary()}\n`);
      } else {
        for (const p of r.problems) process.stdout.write(`${formatProblemWithId(p)}\n`);
        process.exitCode = 1;
      }
    });

  topology
    .command('import')
    .requiredOption('--from-csv <dir>', 'folder of an EMS inventory export (nodes.csv, spans.csv, …; docs/topology.md)')
    .option('--network <name>', 'network name (default: the folder name)')
    .description('convert a CSV inventory export into a topology file (YAML on stdout), validated')
    .action((o: { fromCsv: string; network?: string }) => {
      const r = importTopologyCsv(o.fromCsv, o.network);
      if (r.ok) {
        process.stdout.write(r.yaml);
        process.stderr.write(`ok: ${r.summary}\n`);
      } else {
        for (const p of r.problems) process.stderr.write(`${p}\n`);
        process.exitCode = 1;
      }
    });

  program
    .command('config')
    .description('config file tools')
    .command('check')
    .argument('<file>', 'config file (YAML)')
    .description('validate a config file and the topology, mapping rules and roster it names')
    .action((file: string) => {
      const r = checkConfigFile(file);
      if (r.ok) {
        process.stdout.write(`ok: ${r.summary}\n`);
      } else {
        for (const p of r.problems) process.stdout.write(`${p}\n`);
        process.exitCode = 1;
      }
    });

  program
    .command('roster')
    .description('roster file tools')
    .command('check')
    .argument('<file>', 'roster file (YAML or JSON)')
    .description('validate a roster file and say who is on duty now')
    .action((file: string) => {
      const r = loadRosterFile(file);
      if (!r.ok) {
        for (const p of r.problems) process.stdout.write(`${formatProblem(p)}\n`);
        process.exitCode = 1;
        return;
      }
      const now = dutyNow(r.roster, Date.now())
        .map((d) => `${d.group}: ${d.people.map((p) => p.name).join(', ') || '-'}`)
        .join('; ');
      process.stdout.write(`ok: ${r.roster.people.length} people; on duty now: ${now}\n`);
    });

  program
    .command('simulate')
    .description('send a drill scenario as real SNMP traps to a running service')
    .argument('[scenario]', 'scenario name (see --list)')
    .option('--list', 'list the scenarios')
    .option('--target <host:port>', 'where the service receives traps', '127.0.0.1:1162')
    .option('--topology <file>', 'network model to derive the scenario from (default: the demo network)', DEMO_TOPOLOGY)
    .option('--rate <n>', 'notifications per second', '500')
    .option('--duration <ms>', 'send the clears (the repair) after this many ms; without it, no clears')
    .option('--community <c>', 'SNMP community', 'public')
    .option('--inform', 'send v2c INFORMs (answered) instead of traps')
    .option('--no-switch', 'the network does not switch: send no protection switch events (a switch-failure drill)')
    .option(
      '--span <id>',
      'span-cut, single-fibre-cut: the span to cut (default: the ring span carrying the most circuits)',
    )
    .option(
      '--vendor <name>',
      'native (ringguard MIB) or huawei (as a Huawei EMS forwards them over its northbound interface)',
      'native',
    )
    .option('--layout <layout>', 'with --vendor huawei: v1 (HW-IMAPV1NORTHBOUND-TRAP-MIB) or imap', 'v1')
    .option(
      '--replay <file>',
      'send a recorded northbound trap file as is (e.g. fixtures/nbi/huawei-span-cut.yaml) instead of a scenario',
    )
    .option(
      '--api <url>',
      "the service's REST API, to predict from the circuits' current states (default: http://HOST:8080 of --target); token in RINGGUARD_API_TOKEN",
    )
    .option('--hold-down-ms <n>', "the service's --hold-down-ms, for the prediction", '2500')
    .option('--switch-timeout-ms <n>', "the service's --switch-timeout-ms, for the prediction", '10000')
    .option('--wtr-ms <n>', "the service's --wtr-ms, for the prediction", '300000')
    .action(async (scenario: string | undefined, o: Record<string, string | boolean | undefined>) => {
      process.exitCode = await runSimulate(scenario, {
        list: !!o.list,
        target: String(o.target),
        topology: String(o.topology),
        rate: Number(o.rate),
        duration: o.duration !== undefined ? Number(o.duration) : undefined,
        community: String(o.community),
        inform: !!o.inform,
        switches: o.switch !== false,
        span: o.span as string | undefined,
        vendor: o.vendor as 'native' | 'huawei',
        layout: o.layout as 'v1' | 'imap',
        replay: o.replay as string | undefined,
        api: o.api as string | undefined,
        token: process.env.RINGGUARD_API_TOKEN,
        holdDownMs: Number(o.holdDownMs),
        switchTimeoutMs: Number(o.switchTimeoutMs),
        wtrMs: Number(o.wtrMs),
      });
    });

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return 0;
      return 2;
    }
    throw e;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

// `ringguard simulate --list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now; do not let a lingering socket keep the process alive.
    setTimeout(() => process.exit(code), 100);
  },
  (e) => {
    process.stderr.write(`ringguard: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);

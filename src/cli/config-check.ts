// `ringguard config check FILE`: the config file and every file it names, checked without
// starting anything. One `where: problem` line per problem.
import { rosterPath, loadRosterFile } from '../adapters/files/roster-file.js';
import { loadTopologyFile } from '../adapters/files/topology-file.js';
import { Mapper } from '../adapters/snmp/mapping.js';
import { formatProblem, formatProblemWithId } from '../core/topology/validate.js';
import { ConfigError, resolveConfig } from './config.js';

export type ConfigCheck = { ok: true; summary: string } | { ok: false; problems: string[] };

export function checkConfigFile(file: string): ConfigCheck {
  let cfg;
  try {
    // The file alone: flags and the environment are not part of what is checked.
    cfg = resolveConfig({}, {}, file);
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, problems: e.message.split('\n') };
    throw e;
  }
  const topo = loadTopologyFile(cfg.topology);
  if (!topo.ok) return { ok: false, problems: topo.problems.map((p) => inFile(cfg.topology, formatProblemWithId(p))) };
  const problems: string[] = [];
  if (cfg.mappings) {
    try {
      new Mapper(topo.graph, [cfg.mappings]);
    } catch (e) {
      problems.push(`${cfg.mappings}: ${(e as Error).message}`);
    }
  }
  const roster = cfg.roster;
  if (roster) {
    const r = loadRosterFile(rosterPath(roster, cfg.configDir));
    if (!r.ok) problems.push(...r.problems.map((p) => inFile(roster, formatProblem(p))));
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    summary: `${file}: ${topo.graph.summary()}; database ${cfg.db}; traps udp ${cfg.trapHost}:${cfg.trapPort}; API http://${cfg.httpHost}:${cfg.httpPort}`,
  };
}

/** `FILE: problem`, unless the problem already starts with the file (an unreadable file, a syntax error). */
function inFile(file: string, line: string): string {
  return line.startsWith(`${file}:`) ? line : `${file}: ${line}`;
}

// Reads the roster file (YAML or JSON) and validates it: one `path: message` per problem.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseRoster, type RosterResult } from '../../core/notify/roster.js';
import { formatProblem, type TopologyProblem } from '../../core/topology/validate.js';
import { readDocument } from './document.js';

export function loadRosterFile(file: string): RosterResult {
  const d = readDocument(file);
  return d.ok ? parseRoster(d.doc) : d;
}

export class RosterError extends Error {
  constructor(
    file: string,
    readonly rosterProblems: TopologyProblem[],
  ) {
    super(`roster ${file} is invalid:\n${rosterProblems.map(formatProblem).join('\n')}`);
  }
}

/** A relative path is taken from the working folder, else from the config file's folder. */
export function rosterPath(file: string, configDir?: string): string {
  if (isAbsolute(file) || existsSync(file) || !configDir) return file;
  return resolve(configDir, file);
}

export function loadRosterOrThrow(file: string) {
  const r = loadRosterFile(file);
  if (!r.ok) throw new RosterError(file, r.problems);
  return r.roster;
}

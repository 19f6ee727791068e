// `ringguard serve` as a child process, as a user starts it; resolves once it logs "listening".
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './env.js';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const CLI = ['--import', 'tsx', join(ROOT, 'src/cli/index.ts')];

export interface Svc {
  proc: ChildProcess;
  http: number;
  trap: number;
  log: string[];
  exit: Promise<number | null>;
}

/**
 * Starts `serve` with `args` (hold-down 400 ms unless `args` names another) on the given ports;
 * the process is added to `procs` for cleanup. Up to 60 s to start (tsx on a loaded machine).
 */
export async function serveCli(procs: ChildProcess[], http: number, trap: number, args: string[]): Promise<Svc> {
  const proc = spawn(
    process.execPath,
    [...CLI, 'serve', '--hold-down-ms', '400', ...args, '--http-port', String(http), '--trap-port', String(trap)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  procs.push(proc);
  const log: string[] = [];
  proc.stdout!.on('data', (d) => log.push(...String(d).split('\n').filter(Boolean)));
  proc.stderr!.on('data', (d) => log.push(String(d)));
  const exit = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  await waitFor(() => log.some((l) => l.includes('"msg":"listening"')), 60_000, `listening (log: ${log.join('\n')})`);
  return { proc, http, trap, log, exit };
}

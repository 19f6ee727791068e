// Into production: the service started from the example config outside the source tree, the
// fixes it prints, the deployment files, and strict inputs (unknown keys, syntax errors).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { loadTopologyFile } from '../src/adapters/files/topology-file.js';
import { loadRulesFile } from '../src/adapters/snmp/mapping.js';
import { checkConfigFile } from '../src/cli/config-check.js';
import { formatProblemWithId as formatProblem } from '../src/core/topology/validate.js';
import { hasTool, run, waitFor } from './helpers/env.js';

const ROOT = new URL('..', import.meta.url).pathname;
// Absolute, so the CLI runs from any folder (outside the source tree there is no node_modules).
const CLI = [
  '--import',
  pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
  join(ROOT, 'src/cli/index.ts'),
];
const procs: ChildProcess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

/** A folder outside the repo with the example config and a network file beside it. */
function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rg-site-'));
  copyFileSync(join(ROOT, 'deploy/ringguard.example.yaml'), join(dir, 'ringguard.yaml'));
  copyFileSync(join(ROOT, 'fixtures/demo-network.yaml'), join(dir, 'network.yaml'));
  return dir;
}

function cli(args: string[], cwd: string, user?: number) {
  const cmd =
    user !== undefined
      ? ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--clear-groups', process.execPath]
      : [process.execPath];
  const proc = spawn(cmd[0], [...cmd.slice(1), ...CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  const out: string[] = [];
  proc.stdout!.on('data', (d) => out.push(String(d)));
  proc.stderr!.on('data', (d) => out.push(String(d)));
  const exit = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return { proc, out, exit, text: () => out.join('') };
}

describe('the service on real equipment', () => {
  it('starts from the example config in a folder outside the repo, on 0.0.0.0, paths beside the config', async () => {
    const dir = site();
    const svc = cli(
      ['serve', '--config', 'ringguard.yaml', '--trap-host', '0.0.0.0', '--trap-port', '0', '--http-port', '0'],
      dir,
    );
    const line = await waitFor(
      () =>
        svc
          .text()
          .split('\n')
          .find((l) => l.includes('"msg":"listening"')),
      30_000,
      `listening (${svc.text()})`,
    );
    const { httpPort, trapPort } = JSON.parse(line);
    // The database went where the config file says, relative to the config file.
    expect(existsSync(join(dir, 'data/ringguard.db'))).toBe(true);
    const sim = await run(
      process.execPath,
      [...CLI, 'simulate', 'router-fault', '--target', `127.0.0.1:${trapPort}`],
      20_000,
    );
    expect(sim.code, sim.stdout + sim.stderr).toBe(0);
    await waitFor(
      async () => (await (await fetch(`http://127.0.0.1:${httpPort}/api/v1/alarms`)).json()).items.length > 0,
      10_000,
      'the trap as an alarm',
    );
    // The operator's sign that the NE reaches ringguard.
    await waitFor(
      () => svc.text().includes('"msg":"first notification from NE"'),
      5000,
      'the first-notification log line',
    );
    svc.proc.kill('SIGTERM');
    expect(await svc.exit).toBe(0);
  }, 60_000);

  it('outside the repo, a forgotten --topology is an error that points at --demo; --demo runs the demo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-nodemo-'));
    const bare = cli(['serve', '--db', 'rg.db', '--http-port', '0', '--trap-port', '0'], dir);
    expect(await bare.exit).toBe(2);
    expect(bare.text()).toMatch(
      /no topology: give your network with --topology FILE.*--demo runs the built-in demo network/,
    );
    const demo = cli(['serve', '--demo', '--db', 'rg.db', '--http-port', '0', '--trap-port', '0'], dir);
    const line = await waitFor(
      () =>
        demo
          .text()
          .split('\n')
          .find((l) => l.includes('"msg":"listening"')),
      30_000,
      `listening (${demo.text()})`,
    );
    expect(JSON.parse(line).network).toBe('xiangtan-demo');
    demo.proc.kill('SIGTERM');
    expect(await demo.exit).toBe(0);
  }, 60_000);

  const unprivileged = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')) > 162;
  const root = process.getuid?.() === 0;
  (unprivileged && (!root || hasTool('setpriv')) ? it : it.skip)(
    'says how to fix EACCES on port 162 in its one line',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rg-eacces-'));
      chmodSync(dir, 0o777);
      // As root, drop to nobody: that is the user the unit file avoids needing root for.
      const svc = cli(
        ['serve', '--demo', '--db', join(dir, 'rg.db'), '--trap-port', '162', '--http-port', '0'],
        dir,
        root ? 65534 : undefined,
      );
      expect(await svc.exit).toBe(1);
      const lines = svc
        .text()
        .split('\n')
        .filter((l) => l.startsWith('ringguard:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /EACCES.*udp 127\.0\.0\.1:162 is privileged.*CAP_NET_BIND_SERVICE.*setcap cap_net_bind_service.*--trap-port 1162/,
      );
    },
    30_000,
  );
});

describe('deployment files', () => {
  it('the systemd unit runs unprivileged with the bind capability, hardened, restarted on failure', () => {
    const unit = readFileSync(join(ROOT, 'deploy/ringguard.service'), 'utf8');
    for (const line of [
      'AmbientCapabilities=CAP_NET_BIND_SERVICE',
      'CapabilityBoundingSet=CAP_NET_BIND_SERVICE',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'Restart=on-failure',
      'User=ringguard',
      'StateDirectory=ringguard',
      'ExecReload=/bin/kill -HUP $MAINPID',
    ])
      expect(unit).toContain(line);
    if (hasTool('systemd-analyze')) {
      const r = spawnSync('systemd-analyze', ['verify', join(ROOT, 'deploy/ringguard.service')], { encoding: 'utf8' });
      // ExecStart's binary is not installed here; anything else it reports is a mistake in the unit.
      const problems = (r.stderr ?? '')
        .split('\n')
        .filter((l) => l.trim() && !/ringguard|Command .* is not executable|No such file/.test(l));
      expect(problems).toEqual([]);
    } else {
      console.warn('systemd-analyze not installed: the unit file is checked for its settings only');
    }
  });

  it('the Dockerfile is multi-stage, non-root, with a healthcheck and the database volume; it lints clean', () => {
    const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(lintDockerfile(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\n.*\/api\/v1\/health/m);
    expect(text).toMatch(/^VOLUME \["\/var\/lib\/ringguard"\]$/m);
    expect(text).toMatch(/RINGGUARD_DB=\/var\/lib\/ringguard\/ringguard\.db/);
    const docker = spawnSync('docker', ['info'], { encoding: 'utf8' });
    if (docker.status !== 0) {
      // Building needs a Docker engine; this machine has none (or no client).
      console.warn(
        `docker build skipped: ${docker.error ? 'no docker client' : (docker.stderr || '').trim().split('\n').pop()}; the Dockerfile was linted (dockerfile-utils)`,
      );
      return;
    }
    const build = spawnSync('docker', ['build', '-q', '-t', 'ringguard:test', ROOT], {
      encoding: 'utf8',
      timeout: 900_000,
    });
    expect(build.status, build.stderr).toBe(0);
  }, 900_000);
});

describe('strict inputs', () => {
  const write = (name: string, text: string) => {
    const f = join(mkdtempSync(join(tmpdir(), 'rg-strict-')), name);
    writeFileSync(f, text);
    return f;
  };

  const net = (extra: { site?: string; node?: string; mgmt?: string; working?: string }) => `network: t
sites:
  - { id: S1 }
  - { id: S2 }
  - { id: S3${extra.site ?? ''} }
nodes:
  - { id: N1, site: S1, mgmt: { host: 127.0.0.1, ${extra.mgmt ?? 'community'}: public } }
  - { id: N2${extra.node ?? ''} }
spans:
  - { id: SP1, a: { node: N1, port: "1" }, z: { node: N2, port: "1" } }
circuits:
  - { id: C1, customer: x, priority: vip, protection: none, a: { node: N1, port: "4" }, z: { node: N2, port: "4" }, working: [${extra.working ?? 'SP1'}] }
`;

  it('topology: an unknown key names its path, the element id and the key it probably meant', () => {
    expect(loadTopologyFile(write('ok.yaml', net({}))).ok).toBe(true);
    const r = loadTopologyFile(write('net.yaml', net({ site: ', nmae: Hub', node: ', stie: S2', mgmt: 'comunity' })));
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([
      'sites[2].nmae: unknown key (did you mean "name"?) (site S3)',
      'nodes[0].mgmt.comunity: unknown key (did you mean "community"?) (node N1)',
      'nodes[1].stie: unknown key (did you mean "site"?) (node N2)',
    ]);
  });

  it('topology: a reference problem names the element id beside its index', () => {
    const r = loadTopologyFile(write('net.yaml', net({ working: 'S-9' })));
    expect(r.ok ? [] : r.problems.map(formatProblem)).toContain(
      'circuits[0].working[0]: span "S-9" does not exist (circuit C1)',
    );
  });

  it('YAML syntax errors show the line, the column and a caret', () => {
    const f = write('net.yaml', 'network: x\nnodes:\n  - id: N1\n   name: y\n');
    const r = loadTopologyFile(f);
    const text = r.ok ? '' : r.problems.map(formatProblem).join('\n');
    expect(text).toMatch(new RegExp(`^${f}:4:\\d+: not valid YAML: .+\n {4}- id: N1\n {5}name: y\n +\\^$`));
  });

  it('config: unknown keys, in the file and in its sections, with a suggestion; `config check` exits 1', async () => {
    const dir = site();
    writeFileSync(
      join(dir, 'ringguard.yaml'),
      readFileSync(join(dir, 'ringguard.yaml'), 'utf8').replace('http-port: 8080', 'http-prot: 8080'),
    );
    const r = checkConfigFile(join(dir, 'ringguard.yaml'));
    expect(r).toEqual({
      ok: false,
      problems: [`${join(dir, 'ringguard.yaml')}: http-prot: unknown key (did you mean "http-port"?)`],
    });
    const snmp = write(
      'c.yaml',
      'topology: net.yaml\nsnmp:\n  comunities: [public]\n  users: [{ name: u, authKye: "12345678" }]\n',
    );
    const s = checkConfigFile(snmp);
    expect(s.ok ? [] : s.problems.sort()).toEqual([
      `${snmp}: snmp.comunities: unknown key (did you mean "communities"?)`,
      `${snmp}: snmp.users[0].authKye: unknown key (did you mean "authKey"?)`,
    ]);
    const cmd = await run(process.execPath, [...CLI, 'config', 'check', snmp], 20_000);
    expect(cmd.code).toBe(1);
    expect(cmd.stdout).toContain('snmp.comunities: unknown key (did you mean "communities"?)');
  });

  it('`config check` names a missing or broken topology file once, not twice', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'rg-cc-')), 'none.yaml');
    const r = checkConfigFile(write('c-missing.yaml', `topology: ${missing}\n`));
    expect(r.ok ? [] : r.problems).toEqual([
      expect.stringMatching(new RegExp(`^${missing}: cannot read file: ENOENT`)),
    ]);
    const broken = write('broken-net.yaml', 'nodes:\n  - id: N1\n   name: x\n');
    const b = checkConfigFile(write('c-broken.yaml', `topology: ${broken}\n`));
    expect(b.ok ? [] : b.problems[0]).toMatch(new RegExp(`^${broken}:\\d+:\\d+: not valid YAML: `));
  });

  it('`config check` on the example config says what it would run', async () => {
    const dir = site();
    const cmd = await run(process.execPath, [...CLI, 'config', 'check', join(dir, 'ringguard.yaml')], 20_000);
    expect(cmd.code, cmd.stdout + cmd.stderr).toBe(0);
    expect(cmd.stdout).toMatch(
      /^ok: .*network xiangtan-demo: 2 rings.*database .*data\/ringguard\.db; traps udp 0\.0\.0\.0:1162/,
    );
  });

  it('mapping rules: an unknown key in a rule is an error with its path and a suggestion', () => {
    const f = write(
      'rules.yaml',
      'rules:\n  - name: x\n    trap: 1.3.6.1.4.1.9.9.1\n    action: raise\n    node: { value: XT-A1 }\n    alarmNmae: { value: R_LOS }\n',
    );
    expect(() => loadRulesFile(f)).toThrow(`${f}: rules[0].alarmNmae: unknown key (did you mean "alarmName"?)`);
  });
});

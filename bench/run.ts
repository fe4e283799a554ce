/**
 * The benchmark: Rosey and Ansible apply the same workload (bench/workload)
 * to the same freshly booted testbed hosts (the python3 image variant),
 * alternating, for a first apply, a no-change re-run and a re-run with one
 * template changed. Not part of the test suite; see bench/README.md.
 *
 *   npm run bench -- --hosts 1,3,10 --rounds 5
 *   npm run bench -- --hosts 10,50 --rounds 3 --playbook files --light
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { down, downAtExit, exec, up, type TestbedHost } from '../scripts/testbed/api.js';
import { report } from './lib/report.js';
import { SCENARIOS, closeAnsibleMasters, runAnsible, runFloor, runRosey, type Context, type Sample, type Tool } from './lib/tools.js';
import { writeWorkspace } from './lib/workspace.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
    tools: { type: 'string', default: 'rosey,ansible' },
    warmup: { type: 'string', default: '1' },
    out: { type: 'string' },
    // site: the whole workload; files: its file-level part alone (no systemd needed)
    playbook: { type: 'string', default: 'site' },
    // light hosts (sshd and a shell, no systemd; the light-python kind) for
    // the files part at scale: 50 of them boot in seconds and stay idle
    light: { type: 'boolean', default: false },
  },
});
const hostCounts = values.hosts.split(',').map(Number);
const rounds = Number(values.rounds);
const tools = values.tools.split(',') as Tool[];
if (!['site', 'files'].includes(values.playbook)) throw new Error(`--playbook must be site or files, got ${values.playbook}`);
if (values.light && values.playbook !== 'files') throw new Error('--light hosts have no systemd: use it with --playbook files');
if (tools.includes('ansible') && !existsSync('/usr/bin/ansible-playbook')) {
  // before any host boots: without it every Ansible sample fails and the report has nothing to set Rosey against
  process.stderr.write('bench: /usr/bin/ansible-playbook is missing: install it (apt-get install ansible-core), or run Rosey alone with --tools rosey\n');
  process.exit(2);
}

const uptime = (): string => execFileSync('uptime', { encoding: 'utf8' }).trim();
const log = (s: string): void => void process.stderr.write(s + '\n');

/** The files part's work and Rosey's backups of it: all a light host has to undo (no systemd, no units or user made). */
const RESET_FILES = 'rm -rf /srv/benchapp /var/backups/rosey';

/**
 * Back to a fresh host for the next first apply: the units stopped and gone,
 * the service user gone, the workload's files and Rosey's backups of them.
 */
const RESET = [
  'systemctl disable --now benchapp-web benchapp-worker >/dev/null 2>&1',
  'rm -f /etc/systemd/system/benchapp-web.service /etc/systemd/system/benchapp-worker.service',
  'systemctl daemon-reload',
  'userdel benchapp >/dev/null 2>&1',
  RESET_FILES,
].join('; ');

async function reset(hosts: readonly TestbedHost[]): Promise<void> {
  await Promise.all(hosts.map((h) => exec(h.name, values.light ? RESET_FILES : RESET)));
}

/** The lines that say why a run failed (Ansible's fatal/UNREACHABLE lines, Rosey's failed results), else the output's tail. */
function whyFailed(s: Sample): string {
  const lines = `${s.stdout}\n${s.stderr}`.split('\n').filter((l) => /fatal:|UNREACHABLE|"status":"(failed|unreachable)"|^(error|Error)/.test(l));
  return (lines.length ? lines.slice(0, 5).join('\n') : (s.stderr || s.stdout).slice(-600)).slice(0, 2000);
}

async function block(ctx: Context, hosts: readonly TestbedHost[], tool: Tool, round: number): Promise<Sample[]> {
  await reset(hosts);
  const out: Sample[] = [];
  for (const scenario of SCENARIOS) {
    const s = tool === 'rosey' ? await runRosey(ctx, scenario, round) : await runAnsible(ctx, scenario, round);
    log(`  round ${round} ${tool} ${scenario}: ${s.wallS.toFixed(2)} s, cpu ${s.cpuS.toFixed(2)} s, rss ${s.peakRssMiB.toFixed(0)} MiB, changed ${s.changed}${s.failed ? `, FAILED (exit ${s.code}): ${whyFailed(s)}` : ''}`);
    out.push(s);
    // the floor beside Rosey's no-change run, on the same hosts in the same state
    if (tool === 'rosey' && scenario === 'nochange') {
      const f = await runFloor(ctx, round);
      log(`  round ${round} floor: ${f.wallS.toFixed(2)} s, cpu ${f.cpuS.toFixed(2)} s${f.failed ? `, FAILED (exit ${f.code}): ${f.stderr.slice(-600)}` : ''}`);
      out.push(f);
    }
  }
  return out;
}

async function benchHosts(n: number): Promise<{ n: number; samples: Sample[]; loadBefore: string; loadAfter: string }> {
  const kind = values.light ? 'light-python' : 'python';
  log(`== ${n} host(s): booting fresh hosts (${kind})`);
  const hosts = await up(n, log, kind);
  const ws = mkdtempSync(join(tmpdir(), 'rosey-bench-'));
  const ctx: Context = { repo: REPO, ws, forks: Math.max(10, n), playbook: values.playbook };
  writeWorkspace(ws, hosts, ctx.forks);
  const loadBefore = uptime();
  log(`   ${loadBefore}`);
  try {
    for (let w = 0; w < Number(values.warmup); w++) for (const t of tools) await block(ctx, hosts, t, -1 - w);
    const samples: Sample[] = [];
    for (let r = 0; r < rounds; r++) {
      // A B, then B A: a drift in the machine's load hits both tools alike
      const order = r % 2 === 0 ? tools : [...tools].reverse();
      for (const t of order) samples.push(...(await block(ctx, hosts, t, r)));
    }
    return { n, samples, loadBefore, loadAfter: uptime() };
  } finally {
    await closeAnsibleMasters(ctx);
    rmSync(ws, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // the hosts go when the harness ends, whether it finished, failed or was interrupted
  const cancelExitHook = downAtExit();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  const results = [];
  try {
    for (const n of hostCounts) results.push(await benchHosts(n));
  } finally {
    await down(log);
    cancelExitHook();
  }
  const text = report(results, { command: `npm run bench -- ${process.argv.slice(2).join(' ')}`, date: new Date().toISOString() });
  process.stdout.write(text + '\n');
  const out = values.out ?? join(REPO, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results.map((r) => ({ ...r, samples: r.samples.map(({ stdout: _o, stderr: _e, ...s }) => s) })), null, 1) + '\n');
  // next to the samples, never over them (an --out without .json wrote the summary over its own samples)
  writeFileSync(out.endsWith('.json') ? out.replace(/\.json$/, '.md') : `${out}.md`, text + '\n');
  log(`raw samples: ${out}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { measure, type Measured } from './measure.js';
import { tryRun } from '../../scripts/testbed/run.js';

/** `floor`: bench/floor.cjs, what no run over SSH goes below (a login and one `sudo -n true` per host) */
export type Tool = 'rosey' | 'ansible' | 'floor';
export type Scenario = 'first' | 'nochange' | 'changed';
export const SCENARIOS: readonly Scenario[] = ['first', 'nochange', 'changed'];

export interface Sample extends Measured {
  tool: Tool;
  scenario: Scenario;
  round: number;
  /** tasks reported changed, summed over hosts (a sanity check on the scenario) */
  changed: number;
  failed: number;
  /** Rosey only: remote commands per host, from the --json recap */
  execsPerHost?: Record<string, number>;
  /** Rosey only: remote commands per task title, summed over hosts */
  execsPerTask?: Record<string, number>;
}

export interface Context {
  repo: string;
  ws: string;
  forks: number;
  /** the workload's playbook: `site` (all of it) or `files` (its file-level part) */
  playbook: string;
}

/** The extra vars of a scenario: the changed run rewrites one template (c01) with a new revision. */
function extraVars(scenario: Scenario, round: number): string[] {
  return scenario === 'changed' ? ['-e', `bench_revision=${round + 1}`] : [];
}

export async function runRosey(ctx: Context, scenario: Scenario, round: number): Promise<Sample> {
  const args = [join(ctx.repo, `bench/workload/rosey/${ctx.playbook}.yml`), '-i', join(ctx.ws, 'hosts.yml'), '--json', '-f', String(ctx.forks), ...extraVars(scenario, round)];
  // started as `rosey-apply` is, by its shebang (which keeps NODE_EXTRA_CA_CERTS from Node's start)
  const m = await measure(join(ctx.repo, 'bin/rosey-apply.cjs'), args, { cwd: ctx.ws, env: { CI: 'true', ROSEY_JOURNAL_DIR: join(ctx.ws, 'journal') } });
  const events = m.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const recap = events.find((e) => e.event === 'recap') as { hosts: { host: string; counts: Record<string, number>; execs?: number }[] } | undefined;
  const execsPerTask: Record<string, number> = {};
  for (const e of events) {
    if (e.event !== 'host-result' || typeof e.execs !== 'number') continue;
    execsPerTask[String(e.task)] = (execsPerTask[String(e.task)] ?? 0) + e.execs;
  }
  const sum = (k: string) => (recap?.hosts ?? []).reduce((n, h) => n + (h.counts[k] ?? 0), 0);
  return {
    ...m,
    tool: 'rosey',
    scenario,
    round,
    changed: sum('changed'),
    failed: sum('failed') + sum('unreachable') + (recap ? 0 : 1),
    execsPerHost: Object.fromEntries((recap?.hosts ?? []).map((h) => [h.host, h.execs ?? NaN])),
    execsPerTask,
  };
}

export async function runAnsible(ctx: Context, scenario: Scenario, round: number): Promise<Sample> {
  const args = [join(ctx.repo, `bench/workload/ansible/${ctx.playbook}.yml`), ...extraVars(scenario, round)];
  const m = await measure('/usr/bin/ansible-playbook', args, { cwd: ctx.ws, env: { ANSIBLE_CONFIG: join(ctx.ws, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' } });
  let changed = 0;
  let failed = m.code === 0 ? 0 : 1;
  for (const line of m.stdout.split('\n')) {
    const r = /\sok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/.exec(line);
    if (!r) continue;
    changed += Number(r[1]);
    failed += Number(r[2]) + Number(r[3]);
  }
  return { ...m, tool: 'ansible', scenario, round, changed, failed };
}

/** The floor (bench/floor.cjs): Node's start, Rosey's SSH client, a login to every host and one `sudo -n true` on each. */
export async function runFloor(ctx: Context, round: number): Promise<Sample> {
  // Node without NODE_EXTRA_CA_CERTS, as bin/rosey-apply.cjs's shebang starts it: the floor
  const m = await measure(process.execPath, [join(ctx.repo, 'bench/floor.cjs'), join(ctx.ws, 'hosts.yml')], { cwd: ctx.ws, env: { NODE_EXTRA_CA_CERTS: undefined } });
  return { ...m, tool: 'floor', scenario: 'nochange', round, changed: 0, failed: m.code === 0 ? 0 : 1 };
}

/** Ends Ansible's persistent ssh masters (they outlive each run by design). */
export async function closeAnsibleMasters(ctx: Context): Promise<void> {
  const dir = join(ctx.ws, 'cp');
  for (const sock of readdirSync(dir)) await tryRun('ssh', ['-O', 'exit', '-o', `ControlPath=${join(dir, sock)}`, 'bench-host']);
}

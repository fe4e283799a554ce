import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DIR = join(ROOT, '.github/workflows');
const workflows = readdirSync(DIR)
  .filter((n) => n.endsWith('.yml'))
  .map((name) => ({ name, text: readFileSync(join(DIR, name), 'utf8') }));

interface Step {
  uses?: string;
  run?: string;
}
interface Job {
  steps: Step[];
  environment?: unknown;
}

describe('the workflows', () => {
  it('are all there', () => {
    expect(workflows.map((w) => w.name).sort()).toEqual(['apply-prod.yml', 'apply-test.yml', 'check.yml', 'ci.yml', 'drift.yml', 'release.yml', 'rollback.yml']);
  });

  it.each(workflows)('$name pins every action to a full commit SHA and sets least-privilege permissions', ({ text }) => {
    const wf = parse(text) as { permissions?: Record<string, string>; jobs: Record<string, Job> };
    expect(wf.permissions, 'top-level permissions').toBeDefined();
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    }
  });

  it.each(workflows)('$name never puts a secret in a run line (they pass through env into files)', ({ text }) => {
    const wf = parse(text) as { jobs: Record<string, Job> };
    for (const job of Object.values(wf.jobs)) for (const step of job.steps) expect(step.run ?? '').not.toMatch(/secrets\./);
  });

  it('two applies to one environment never overlap', () => {
    const groups = Object.fromEntries(workflows.map((w) => [w.name, (parse(w.text) as { concurrency?: { group: string; 'cancel-in-progress': boolean } }).concurrency]));
    expect(groups['apply-prod.yml']).toEqual({ group: 'apply-production', 'cancel-in-progress': false });
    expect(groups['rollback.yml']?.group).toContain('apply-');
    expect(groups['apply-test.yml']?.['cancel-in-progress']).toBe(false);
  });

  it('production applies behind the production environment', () => {
    const wf = parse(workflows.find((w) => w.name === 'apply-prod.yml')!.text) as { jobs: Record<string, Job & { needs?: string }> };
    expect(wf.jobs.apply?.environment).toBe('production');
    expect(wf.jobs.apply?.needs).toBe('plan');
  });

  it('check.yml keeps the plan as the pull request artifact; apply-test applies it when the merged content is the reviewed one', () => {
    type WithStep = Step & { env?: Record<string, string>; with?: Record<string, unknown> };
    const check = parse(workflows.find((w) => w.name === 'check.yml')!.text) as { jobs: Record<string, { steps: WithStep[] }> };
    const steps = check.jobs.check!.steps;
    const dryRun = steps.findIndex((s) => s.run?.includes('scripts/ci/check.sh'));
    expect(steps[dryRun]!.env?.ROSEY_PLAN_OUT).toBe('plan.json');
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with).toMatchObject({ name: 'rosey-plan-test', path: 'plan.json' });
    expect(steps.indexOf(upload!)).toBeGreaterThan(dryRun);
    const apply = parse(workflows.find((w) => w.name === 'apply-test.yml')!.text) as { permissions: Record<string, string>; jobs: Record<string, Job> };
    expect(apply.permissions).toEqual({ contents: 'read', actions: 'read', 'pull-requests': 'read' });
    const runs = apply.jobs.apply!.steps.map((s) => s.run ?? '');
    expect(runs.findIndex((r) => r.includes('fetch-reviewed-plan.sh test'))).toBeLessThan(runs.findIndex((r) => r.includes('apply-plan.sh test reviewed-plan/plan.json')));
  });

  it('drift.yml checks test and prod on a schedule, one run per environment at a time, prod without the apply\'s reviewers', () => {
    type DriftJob = { environment?: unknown; strategy: { matrix: { include: { environment: string; 'secrets-from': string }[] } }; concurrency: { group: string }; steps: (Step & { if?: string })[] };
    const wf = parse(workflows.find((w) => w.name === 'drift.yml')!.text) as { on: { schedule: { cron: string }[] }; permissions: Record<string, string>; jobs: { drift: DriftJob } };
    expect(wf.on.schedule).toHaveLength(1);
    expect(wf.permissions).toEqual({ contents: 'read' });
    const job = wf.jobs.drift;
    expect(job.strategy.matrix.include).toEqual([{ environment: 'test', 'secrets-from': 'test' }, { environment: 'prod', 'secrets-from': 'production-plan' }]);
    expect(job.environment).toBe('${{ matrix.secrets-from }}');
    expect(job.concurrency.group).toBe('drift-${{ matrix.environment }}');
    expect(job.steps.find((st) => st.if === "matrix.environment == 'prod'")?.run).toContain('git describe --tags');
    expect(job.steps.at(-1)?.run).toBe('bash scripts/ci/drift.sh "$ENVIRONMENT"');
  });

  it('pass actionlint', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/lint-workflows.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-release-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  git('init', '-q');
  execFileSync('mkdir', ['-p', join(dir, 'scripts/ci')]);
  for (const f of ['common.sh', 'release.sh', 'check-version.sh']) writeFileSync(join(dir, 'scripts/ci', f), readFileSync(join(ROOT, 'scripts/ci', f)));
  writeFileSync(join(dir, 'VERSION'), '1.2.0\n');
  git('add', '-A');
  git('commit', '-qm', 'first');
  return dir;
}

describe('scripts/ci release and version checks', () => {
  const env = { ...process.env, GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GITHUB_OUTPUT: '' };
  it('release tags vX.Y.Z from VERSION once, with the commits since the previous tag; a second run does nothing', () => {
    const dir = repo();
    const out = join(dir, 'gh-output');
    const first = spawnSync('bash', ['scripts/ci/release.sh', 'notes.md'], { cwd: dir, encoding: 'utf8', env: { ...env, GITHUB_OUTPUT: out } });
    expect(first.status, first.stderr).toBe(0);
    expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toMatch(/^## v1\.2\.0\n\n- first \(/);
    expect(readFileSync(out, 'utf8')).toBe('version=v1.2.0\n');
    const again = spawnSync('bash', ['scripts/ci/release.sh', 'notes.md'], { cwd: dir, encoding: 'utf8', env });
    expect(again.stdout).toMatch(/exists already/);
    expect(execFileSync('git', ['tag'], { cwd: dir, encoding: 'utf8' })).toBe('v1.2.0\n');
  });

  it('check-version accepts an existing vX.Y.Z tag and refuses a bad format or a missing tag', () => {
    const dir = repo();
    spawnSync('bash', ['scripts/ci/release.sh', 'notes.md'], { cwd: dir, env });
    const check = (v: string) => spawnSync('bash', ['scripts/ci/check-version.sh', v], { cwd: dir, encoding: 'utf8' });
    expect(check('v1.2.0').status).toBe(0);
    expect(check('1.2.0').stderr).toMatch(/not of the form vX\.Y\.Z/);
    expect(check('v9.9.9').stderr).toMatch(/no tag v9\.9\.9/);
    expect(check('v1.2.0; rm -rf /').status).toBe(1);
  });
});

describe('scripts/ci/fetch-reviewed-plan.sh (GitHub cannot be reached here: a stand-in gh answers its API calls)', () => {
  function fakeGh(answers: { pulls: string; runs: string; download: boolean }): { path: string; log: string } {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-gh-'));
    const log = join(dir, 'calls');
    const script = [
      '#!/usr/bin/env bash',
      `echo "$*" >> ${log}`,
      'case "$1 $2" in',
      `  "api repos/o/r/commits/"*) echo ${JSON.stringify(answers.pulls)} ;;`,
      `  "api repos/o/r/actions/"*) echo ${JSON.stringify(answers.runs)} ;;`,
      `  "run download") ${answers.download ? 'while [ $# -gt 0 ]; do [ "$1" = --dir ] && d="$2"; shift; done; echo "{}" > "$d/plan.json"' : 'exit 1'} ;;`,
      'esac',
    ].join('\n');
    writeFileSync(join(dir, 'gh'), script, { mode: 0o755 });
    return { path: dir, log };
  }
  const fetch = (gh: { path: string }, out: string) =>
    spawnSync('bash', [join(ROOT, 'scripts/ci/fetch-reviewed-plan.sh'), 'test', 'a'.repeat(40), out], { encoding: 'utf8', env: { ...process.env, PATH: `${gh.path}:${process.env.PATH}`, GITHUB_REPOSITORY: 'o/r' } });

  it('downloads rosey-plan-<env> of the check run of the pull request that brought the commit', () => {
    const gh = fakeGh({ pulls: '42', runs: '777', download: true });
    const out = join(mkdtempSync(join(tmpdir(), 'rosey-plan-')), 'p');
    const r = fetch(gh, out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('reviewed plan of pull request #42 (check run 777)');
    expect(readFileSync(join(out, 'plan.json'), 'utf8')).toBe('{}\n');
    const calls = readFileSync(gh.log, 'utf8');
    expect(calls).toContain(`api repos/o/r/commits/${'a'.repeat(40)}/pulls`);
    expect(calls).toContain('.number == 42');
    expect(calls).toContain('run download 777 --repo o/r --name rosey-plan-test');
  });

  it('no pull request or no plan: says so and succeeds (apply-plan.sh then applies the playbook)', () => {
    const none = fetch(fakeGh({ pulls: '', runs: '', download: false }), mkdtempSync(join(tmpdir(), 'rosey-plan-')));
    expect(none.status).toBe(0);
    expect(none.stdout).toContain('no pull request brought');
    const noPlan = fetch(fakeGh({ pulls: '42', runs: '777', download: false }), mkdtempSync(join(tmpdir(), 'rosey-plan-')));
    expect(noPlan.status).toBe(0);
    expect(noPlan.stdout).toContain('kept no plan for test');
  });

  it('refuses a commit that is not a full sha', () => {
    const r = spawnSync('bash', [join(ROOT, 'scripts/ci/fetch-reviewed-plan.sh'), 'test', 'HEAD; rm -rf /', '/tmp/x'], { encoding: 'utf8', env: { ...process.env, GITHUB_REPOSITORY: 'o/r' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('full sha');
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { ROOT, testbedInventory, workspace } from './harness.js';
import { startDashboard, TOKEN } from '../dashboard/builders.js';
import type { DriftState } from '../../src/dashboard/drift.js';

/**
 * What the workflows run, run here with the same inputs: secrets as files
 * (ROSEY_SSH_KEY_FILE, ROSEY_KNOWN_HOSTS), the recap to a GITHUB_STEP_SUMMARY
 * file, against the test hosts.
 */
function script(name: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    const child = spawn('bash', [join(ROOT, 'scripts/ci', name), ...args], { env: { ...process.env, CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', (code) => res({ code: code ?? -1, out }));
  });
}

describe('scripts/ci against the test hosts', () => {
  it('check.sh reports pending changes in the summary without making them; apply.sh makes them; check.sh then matches', async () => {
    const h = hosts()[0]!;
    await exec(h.name, 'rm -rf /srv/rosey-ci');
    // the inventory names no key and no known_hosts: they come as files, as in CI
    const inventory = testbedInventory({ names: [h.name] })
      .split('\n')
      .filter((l) => !/ansible_ssh_private_key_file|rosey_known_hosts_file/.test(l))
      .join('\n');
    const dir = workspace({
      'inventory/hosts.yml': inventory,
      'site.yml': '- hosts: testbed\n  gather_facts: false\n  tasks:\n    - file: { path: /srv/rosey-ci, state: directory }\n    - copy: { content: "from ci\\n", dest: /srv/rosey-ci/file.txt }\n',
    });
    const summary = join(mkdtempSync(join(tmpdir(), 'rosey-summary-')), 'summary.md');
    writeFileSync(summary, '');
    const env = {
      ROSEY_INVENTORY: join(dir, 'inventory'),
      ROSEY_SSH_KEY_FILE: h.keyPath,
      ROSEY_KNOWN_HOSTS: h.knownHostsPath,
      GITHUB_STEP_SUMMARY: summary,
      ROSEY_JOURNAL_DIR: join(dir, '.journal'),
      ROSEY_SKIP_VERIFY: '1',
    };
    const check = await script('check.sh', ['test', join(dir, 'site.yml')], env);
    expect(check.code, check.out).toBe(0);
    expect(check.out).toMatch(/changes pending on test/);
    expect(readFileSync(summary, 'utf8')).toMatch(new RegExp(h.name));
    // the job summary: "would change" lines naming the host, and the diff in a collapsed section
    expect(readFileSync(summary, 'utf8')).toContain(`- \`${h.name}\` would change: copy`);
    expect(readFileSync(summary, 'utf8')).toMatch(/^```diff\n@@ -0,0 \+1,1 @@\n\+from ci$/m);
    expect((await exec(h.name, 'test -e /srv/rosey-ci/file.txt; echo $?')).stdout.trim()).toBe('1');

    const apply = await script('apply.sh', ['test', join(dir, 'site.yml')], { ...env, ROSEY_VERSION: '1.2.3', ROSEY_REASON: 'ci test' });
    expect(apply.code, apply.out).toBe(0);
    expect((await exec(h.name, 'cat /srv/rosey-ci/file.txt')).stdout).toBe('from ci\n');
    // apply-prod's version and reason reach the run record
    const records = readdirSync(env.ROSEY_JOURNAL_DIR).filter((f) => f.endsWith('.json'));
    const applied = records.map((f) => JSON.parse(readFileSync(join(env.ROSEY_JOURNAL_DIR, f), 'utf8')) as { version?: string; reason?: string; check?: boolean });
    expect(applied.filter((r) => r.version === '1.2.3' && r.reason === 'ci test')).toHaveLength(1);

    const again = await script('check.sh', ['test', join(dir, 'site.yml')], env);
    expect(again.out).toMatch(/test matches/);
  });

  it('check.sh saves the plan; apply-plan.sh applies exactly it when its tree is this commit\'s, refuses drift (5), else applies the playbook', async () => {
    const h = hosts()[0]!;
    await exec(h.name, 'rm -rf /srv/rosey-ci-plan');
    const dir = workspace({
      'inventory/hosts.yml': testbedInventory({ names: [h.name] }),
      'site.yml': '- hosts: testbed\n  gather_facts: false\n  tasks:\n    - name: the file\n      copy: { content: "{{ v | default(1) }}\\n", dest: /srv/rosey-ci-plan.txt }\n',
    });
    const plan = join(dir, 'plan.json');
    const env = { ROSEY_INVENTORY: join(dir, 'inventory'), ROSEY_PLAN_OUT: plan, ROSEY_JOURNAL_DIR: join(dir, '.journal'), ROSEY_SKIP_VERIFY: '1' };
    const site = join(dir, 'site.yml');
    // the plan as if made from a clean checkout of this commit (the worktree running the tests may be dirty)
    const asReviewed = (tree: string): void => {
      const p = JSON.parse(readFileSync(plan, 'utf8')) as Record<string, unknown>;
      writeFileSync(plan, JSON.stringify({ ...p, git: { commit: 'c'.repeat(40), tree, dirty: false } }));
    };
    const head = execFileSync('git', ['rev-parse', 'HEAD^{tree}'], { cwd: ROOT, encoding: 'utf8' }).trim();

    const check = await script('check.sh', ['test', site], env);
    expect(check.code, check.out).toBe(0);
    expect(check.out).toContain(`plan saved to ${plan}`);
    asReviewed(head);
    const applied = await script('apply-plan.sh', ['test', plan, site], env);
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain('matches this commit: applying exactly it');
    expect(applied.out).toContain(`plan: [${h.name}] matches the reviewed plan`);
    expect((await exec(h.name, 'cat /srv/rosey-ci-plan.txt')).stdout).toBe('1\n');

    await exec(h.name, 'echo changed-by-hand > /srv/rosey-ci-plan.txt');
    await script('check.sh', ['test', site], env);
    await exec(h.name, 'echo changed-again > /srv/rosey-ci-plan.txt');
    asReviewed(head);
    const drift = await script('apply-plan.sh', ['test', plan, site], env);
    expect(drift.code, drift.out).toBe(5);
    expect(drift.out).toMatch(/REFUSED: \[.*\] task "the file" .*: fact content was "changed-by-hand\\n" when the plan was made, is now "changed-again\\n"/);
    expect(drift.out).toContain('changed since the plan was reviewed');
    expect((await exec(h.name, 'cat /srv/rosey-ci-plan.txt')).stdout).toBe('changed-again\n');

    asReviewed('0'.repeat(40));
    const other = await script('apply-plan.sh', ['test', plan, site], env);
    expect(other.code, other.out).toBe(0);
    expect(other.out).toContain('the plan was made from other content');
    expect((await exec(h.name, 'cat /srv/rosey-ci-plan.txt')).stdout).toBe('1\n');
  });

  it('drift.sh posts the check to a real dashboard: match (exit 0), then drift naming host and task (exit 3)', async () => {
    const h = hosts()[0]!;
    const dash = await startDashboard();
    try {
      await exec(h.name, 'mkdir -p /srv && echo wanted > /srv/rosey-ci-drift.txt');
      const dir = workspace({
        'inventory/hosts.yml': testbedInventory({ names: [h.name] }),
        'site.yml': '- hosts: testbed\n  gather_facts: false\n  tasks:\n    - name: the drift file\n      copy: { content: "wanted\\n", dest: /srv/rosey-ci-drift.txt }\n',
      });
      const env = { ROSEY_INVENTORY: join(dir, 'inventory'), ROSEY_DASHBOARD_URL: dash.url, ROSEY_DASHBOARD_TOKEN: TOKEN };
      const site = join(dir, 'site.yml');
      const drift = async () => ((await dash.get('/api/drift')).json as { environments: DriftState[] }).environments[0];

      const clean = await script('drift.sh', ['test', site], env);
      expect(clean.code, clean.out).toBe(0);
      expect(clean.out).toContain('drift: posted to the dashboard');
      expect(await drift()).toMatchObject({ environment: 'inventory', status: 'match', drifted: false });

      await exec(h.name, 'echo by-hand > /srv/rosey-ci-drift.txt');
      const drifted = await script('drift.sh', ['test', site], env);
      expect(drifted.code, drifted.out).toBe(3);
      expect(drifted.out).toContain('no longer matches');
      expect(drifted.out).not.toContain(TOKEN);
      const state = await drift();
      expect(state).toMatchObject({ status: 'drift', drifted: true });
      expect(state?.tasks).toEqual([{ host: h.name, task: 'the drift file', source: expect.stringContaining('site.yml') as unknown, changes: ['update /srv/rosey-ci-drift.txt'] }]);
      expect(state?.lastMatchAt).not.toBeNull();
      expect((await dash.get('/metrics')).text).toContain('rosey_environment_drift{env="inventory"} 1');
      expect((await exec(h.name, 'cat /srv/rosey-ci-drift.txt')).stdout).toBe('by-hand\n');
    } finally {
      await dash.stop();
    }
  });

  it('refuses an environment name that is not a plain word', async () => {
    const r = await script('check.sh', ['../../etc'], {});
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/plain name/);
  });
});

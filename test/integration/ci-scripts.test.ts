import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { ROOT, testbedInventory, workspace } from './harness.js';

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
    expect((await exec(h.name, 'test -e /srv/rosey-ci/file.txt; echo $?')).stdout.trim()).toBe('1');

    const apply = await script('apply.sh', ['test', join(dir, 'site.yml')], env);
    expect(apply.code, apply.out).toBe(0);
    expect((await exec(h.name, 'cat /srv/rosey-ci/file.txt')).stdout).toBe('from ci\n');

    const again = await script('check.sh', ['test', join(dir, 'site.yml')], env);
    expect(again.out).toMatch(/test matches/);
  });

  it('refuses an environment name that is not a plain word', async () => {
    const r = await script('check.sh', ['../../etc'], {});
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/plain name/);
  });
});

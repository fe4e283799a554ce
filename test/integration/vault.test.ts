import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptVault } from '../../src/vault/envelope.js';
import { exec, hosts } from './testbed.js';
import { ROOT, rosey, workspace } from './harness.js';

const BASE = '/srv/rosey-it/vault';
const FIXTURES = join(ROOT, 'test', 'fixtures', 'vault');
// the Ansible-made fixtures' password; the run's Rosey vault uses it too (one password per run)
const PASSWORD = readFileSync(join(FIXTURES, 'password.txt'), 'utf8').trim();
// shell metacharacters too: the value must survive quoting, stdin and masking
const SECRET = 'Vault-Pw-9d2e;$(id)|x';
const NEVER_SHOWN = ['Vault-Pw-9d2e', 's3cret-from-ansible', 'inline-ansible-secret', 'tok_4f9a2c'];

const template = `listen=0.0.0.0:{{ port }}
password={{ rosey_db_password }}
from_ansible={{ db_password }}
inline={{ vault_inline }}
token={{ api_token }}
`;

const playbook = `
- hosts: testbed
  gather_facts: false
  vars_files: [ansible-vars.yml]
  tasks:
    - file: { path: "${BASE}", state: directory }
    - name: config with the vault passwords
      template: { src: app.conf.hbs, dest: "${BASE}/app.conf", mode: "0600" }
    - name: a whole file that is one vault value
      copy: { content: "{{ rosey_db_password }}", dest: "${BASE}/lone.txt", mode: "0600" }
    - name: a command that holds the secret, looking at the host's process list
      shell: "ps -eo args > ${BASE}/ps.txt; test -n '{{ rosey_db_password }}'"
    - name: a failing command whose error would echo the secret
      command: { cmd: "ls /nonexistent/{{ rosey_db_password }}" }
      when: break_it is defined
      ignore_errors: true
    - name: an error message that quotes the secret
      fail: { msg: "cannot log in with {{ rosey_db_password }}" }
      when: break_it is defined
`;

describe('vault: secrets used in a template appear nowhere but in the file on the host', () => {
  let dir: string;
  let host: string;
  const outputs: string[] = [];
  const run = async (args: string[], pwFile = 'vault-pw') => {
    const r = await rosey(['site.yml', '-i', 'inventory', '-l', host, '--vault-password-file', pwFile, ...args], dir);
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  beforeAll(async () => {
    host = hosts()[0]!.name;
    dir = workspace({ 'site.yml': playbook, 'templates/app.conf.hbs': template, 'vault-pw': `${PASSWORD}\n` });
    // group_vars: a Rosey vault file; vars_files: Ansible's vault file; host_vars: Ansible's encrypt_string value
    mkdirSync(join(dir, 'inventory', 'group_vars'), { recursive: true });
    writeFileSync(join(dir, 'inventory', 'group_vars', 'testbed.yml'), encryptVault(`rosey_db_password: ${JSON.stringify(SECRET)}\n`, Buffer.from(PASSWORD)));
    mkdirSync(join(dir, 'inventory', 'host_vars'), { recursive: true });
    copyFileSync(join(FIXTURES, 'ansible-string.yml'), join(dir, 'inventory', 'host_vars', `${host}.yml`));
    copyFileSync(join(FIXTURES, 'ansible-vars.yml'), join(dir, 'ansible-vars.yml'));
    await exec(host, `rm -rf ${BASE}`);
  }, 600_000);

  it('applies: the host gets the real values, Ansible-made vaults included', async () => {
    const r = await run(['--diff']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await exec(host, `cat ${BASE}/app.conf`)).stdout).toBe(
      `listen=0.0.0.0:5432\npassword=${SECRET}\nfrom_ansible=s3cret-from-ansible\ninline=inline-ansible-secret\ntoken=tok_4f9a2c\n`,
    );
    expect(r.stdout).toMatch(/^\+password=\*{8}$/m);
    expect(r.stdout).toMatch(/^\+listen=0\.0\.0\.0:5432$/m);
    expect((await exec(host, `cat ${BASE}/lone.txt`)).stdout).toBe(SECRET);
  });

  it('--check --diff, --json --diff and a failing task show ******** for the secret lines', async () => {
    await exec(host, `sed -i 's/^password=.*/password=old/' ${BASE}/app.conf`);
    const check = await run(['--check', '--diff']);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^\+password=\*{8}$/m);
    expect(check.stdout).toMatch(/^-password=old$/m);
    // a saved plan keeps the facts and the diff: the secret line masked there too (the last test reads outputs)
    const saved = await run(['--check', '--out', 'plan.json']);
    expect(saved.code, saved.stderr).toBe(0);
    const plan = readFileSync(join(dir, 'plan.json'), 'utf8');
    expect(plan).toContain('+password=********');
    outputs.push(plan);
    const json = await run(['--json', '--diff']);
    expect(json.code).toBe(0);
    expect(json.stdout).toContain('password=********');
    const failing = await run(['-e', 'break_it=1']);
    expect(failing.code).toBe(2);
    expect(failing.stdout).toContain('cannot log in with ********');
  });

  it('no secret in any output, diff, journal (local or on the host), error or the host\'s process list', async () => {
    const journal = join(dir, '.journal');
    const local = readdirSync(journal).map((f) => readFileSync(join(journal, f), 'utf8'));
    expect(local.length).toBeGreaterThanOrEqual(3);
    const remote = (await exec(host, 'cat /var/lib/rosey/runs/*.json')).stdout;
    const ps = (await exec(host, `cat ${BASE}/ps.txt`)).stdout;
    expect(ps).toContain('ps -eo args');
    for (const text of [...outputs, ...local, remote, ps]) for (const s of NEVER_SHOWN) expect(text).not.toContain(s);
  });

  it('a wrong password: exit 1 naming the file, no host contacted', async () => {
    writeFileSync(join(dir, 'wrong-pw'), 'not the password\n');
    const before = (await exec(host, 'ls /var/lib/rosey/runs | wc -l')).stdout;
    const r = await run([], 'wrong-pw');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/wrong vault password for .*group_vars\/testbed\.yml/);
    expect(r.stderr).toContain('nothing was changed on any host');
    expect((await exec(host, 'ls /var/lib/rosey/runs | wc -l')).stdout).toBe(before);
  });
});

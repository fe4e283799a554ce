import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec, hosts } from './testbed.js';
import { rosey, workspace } from './harness.js';

const BASE = '/srv/rosey-it/files';
const SECRET = 'hunter2-$(id)-;|&';

const playbook = `
- hosts: testbed
  gather_facts: false
  vars:
    base: ${BASE}
  tasks:
    - file: { path: "{{ base }}", state: directory }
    - name: app config
      copy: { content: "{{ body }}", dest: "{{ base }}/app.conf", mode: "0644" }
    - name: secret config
      copy: { content: "password={{ db_password }}\\n", dest: "{{ base }}/secret.conf", mode: "0600" }
      no_log: true
    - name: secret command
      command: { cmd: "test -n {{ db_password }}" }
      no_log: true
    - name: failing secret command (its stderr would echo the value)
      command: { cmd: "ls /nonexistent/{{ db_password }}" }
      no_log: true
      when: break_it is defined
`;

describe('diffs, backups and no_log', () => {
  let dir: string;
  let host: string;
  beforeAll(async () => {
    host = hosts()[0]!.name;
    dir = workspace({ 'site.yml': playbook });
    await exec(host, `rm -rf ${BASE}`);
    const r = await rosey(['site.yml', '-i', 'inventory', '-l', host, '-e', 'body="line one\nline two\nline three\n"', '-e', `db_password=${SECRET}`], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('--diff shows exactly the lines that change, and mode changes', async () => {
    await exec(host, `chmod 0600 ${BASE}/app.conf`);
    const r = await rosey(['site.yml', '-i', 'inventory', '-l', host, '--check', '--diff', '-e', 'body="line one\nline 2\nline three\n"', '-e', `db_password=${SECRET}`], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-line two$/m);
    expect(r.stdout).toMatch(/^\+line 2$/m);
    expect(r.stdout).toMatch(/^ line one$/m);
    expect(r.stdout).not.toMatch(/^[-+]line one$/m);
    expect(r.stdout).toMatch(/mode: 0600 -> 0644/);
  });

  it('a replaced file\'s previous content is recoverable from its backup', async () => {
    const r = await rosey(['site.yml', '-i', 'inventory', '-l', host, '--json', '-e', 'body="version two\n"', '-e', `db_password=${SECRET}`], dir);
    expect(r.code).toBe(0);
    const run = (r.events.find((e) => e.event === 'recap') as { run: string }).run;
    expect((await exec(host, `cat ${BASE}/app.conf`)).stdout).toBe('version two\n');
    expect((await exec(host, `cat /var/backups/rosey/${run}${BASE}/app.conf`)).stdout).toBe('line one\nline two\nline three\n');
    const record = JSON.parse((await exec(host, `cat /var/lib/rosey/runs/${run}.json`)).stdout) as { hosts: { backups: { path: string }[] }[] };
    expect(record.hosts[0]!.backups.map((b) => b.path)).toContain(`${BASE}/app.conf`);
    // and `undo` puts it back
    const undo = await rosey(['undo', run, '-i', 'inventory'], dir);
    expect(undo.code, undo.stdout + undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`changed: [${host}] restore ${BASE}/app.conf`);
    expect((await exec(host, `cat ${BASE}/app.conf`)).stdout).toBe('line one\nline two\nline three\n');
  });

  it('a no_log value appears in no output, diff, journal or error', async () => {
    const outputs: string[] = [];
    for (const args of [['--diff'], ['--check', '--diff'], ['--json', '--diff']]) {
      const r = await rosey(['site.yml', '-i', 'inventory', '-l', host, ...args, '-e', 'body=x', '-e', `db_password=${SECRET}-changed`], dir);
      outputs.push(r.stdout, r.stderr);
    }
    // a failing no_log task: its error must not echo the value either
    const failing = await rosey(['site.yml', '-i', 'inventory', '-l', host, '-e', 'body=x', '-e', `db_password=${SECRET}-changed`, '-e', 'break_it=1'], dir);
    expect(failing.code, failing.stdout).toBe(2);
    outputs.push(failing.stdout, failing.stderr);
    const journal = join(dir, '.journal');
    for (const f of readdirSync(journal)) outputs.push(readFileSync(join(journal, f), 'utf8'));
    outputs.push((await exec(host, 'cat /var/lib/rosey/runs/*.json')).stdout);
    for (const text of outputs) expect(text).not.toContain('hunter2');
    // the value did reach the host, where it belongs
    expect((await exec(host, `cat ${BASE}/secret.conf`)).stdout).toBe(`password=${SECRET}-changed\n`);
  });
});

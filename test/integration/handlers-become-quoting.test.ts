import { beforeAll, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { rosey, statuses, testbedInventory, workspace } from './harness.js';

describe('handlers', () => {
  const BASE = '/srv/rosey-it/handlers';
  const playbook = (failAfter: boolean, gather = false) => `
- hosts: testbed
  gather_facts: ${gather}
  tasks:
    - file: { path: ${BASE}, state: directory }
    - name: config
      copy: { content: "{{ version }}\\n", dest: ${BASE}/app.conf }
      notify: restart app
    - name: later step
      command: "${failAfter ? 'false' : 'true'}"
  handlers:
    - name: restart app
      shell: "echo restarted >> ${BASE}/restarts"
`;

  beforeAll(async () => {
    await Promise.all(hosts().map((h) => exec(h.name, `rm -rf ${BASE} /var/lib/rosey/pending-handlers`)));
  });

  it('run once at the end, only when notified by a change', async () => {
    const dir = workspace({ 'site.yml': playbook(false) });
    const first = await rosey(['site.yml', '-i', 'inventory', '--json', '-e', 'version=1'], dir);
    expect(first.code, first.stdout).toBe(0);
    expect(Object.values(statuses(first, 'restart app'))).toEqual(hosts().map(() => 'changed'));
    const again = await rosey(['site.yml', '-i', 'inventory', '--json', '-e', 'version=1'], dir);
    expect(statuses(again, 'restart app')).toEqual({});
    expect((await exec(hosts()[0]!.name, `cat ${BASE}/restarts`)).stdout).toBe('restarted\n');
  });

  it('a notification from a run that then failed is kept on the host and run by the next run', async () => {
    const host = hosts()[0]!.name;
    const failing = await rosey(['site.yml', '-i', 'inventory', '-l', host, '--json', '-e', 'version=2'], workspace({ 'site.yml': playbook(true) }));
    expect(failing.code).toBe(2);
    expect(statuses(failing, 'restart app')).toEqual({});
    expect((await exec(host, `cat ${BASE}/restarts`)).stdout).toBe('restarted\n');
    // nothing changes in the next run, yet the lost restart happens
    const next = await rosey(['site.yml', '-i', 'inventory', '-l', host, '--json', '-e', 'version=2'], workspace({ 'site.yml': playbook(false) }));
    expect(next.code).toBe(0);
    expect(statuses(next, 'config')[host]).toBe('ok');
    expect(statuses(next, 'restart app')[host]).toBe('changed');
    expect((await exec(host, `cat ${BASE}/restarts`)).stdout).toBe('restarted\nrestarted\n');
    const third = await rosey(['site.yml', '-i', 'inventory', '-l', host, '--json', '-e', 'version=2'], workspace({ 'site.yml': playbook(false) }));
    expect(statuses(third, 'restart app')).toEqual({});
  });

  it('the same, when the pending marks come back with gather_facts instead of their own read', async () => {
    const host = hosts()[1]!.name;
    const failing = await rosey(['site.yml', '-i', 'inventory', '-l', host, '--json', '-e', 'version=3'], workspace({ 'site.yml': playbook(true, true) }));
    expect(failing.code).toBe(2);
    expect(statuses(failing, 'restart app')).toEqual({});
    const next = await rosey(['site.yml', '-i', 'inventory', '-l', host, '--json', '-e', 'version=3'], workspace({ 'site.yml': playbook(false, true) }));
    expect(next.code, next.stdout).toBe(0);
    expect(statuses(next, 'config')[host]).toBe('ok');
    expect(statuses(next, 'restart app')[host]).toBe('changed');
    expect((await exec(host, `cat ${BASE}/restarts`)).stdout).toBe('restarted\nrestarted\n');
  });
});

describe('become and quoting', () => {
  it('become runs as root through sudo -n for a non-root login', async () => {
    const h = hosts()[0]!;
    const inv = testbedInventory({ names: [h.name] }).replace(`ansible_user: ${h.user}`, 'ansible_user: deploy');
    const dir = workspace({
      'inventory/hosts.yml': inv,
      'site.yml': `
- hosts: testbed
  gather_facts: false
  tasks:
    - { name: as deploy, command: id -un, register: plain }
    - { name: as root, command: id -un, register: rooted, become: true }
    - assert: { that: ["plain.stdout == 'deploy'", "rooted.stdout == 'root'"] }
    - name: a secret in a command run through sudo
      command: { cmd: "test -n {{ token }}" }
      become: true
      no_log: true
`,
    });
    const token = `s3cr3t-${Date.now()}`;
    const r = await rosey(['site.yml', '-i', 'inventory', '-e', `token=${token}`], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // sudo logs the command lines it runs: the value must not be among them
    const journal = await exec(h.name, `journalctl --no-pager -o cat | grep -c -- ${token} || true`);
    expect(journal.stdout.trim()).toBe('0');
    // what sudo did log: the constant bootstrap that reads the script from stdin
    expect((await exec(h.name, 'journalctl --no-pager -o cat | grep -c "COMMAND=/bin/sh -c .IFS= read -r n" || true')).stdout.trim()).not.toBe('0');
  });

  it("values with ' $ ; | & reach the host as data, never as shell syntax", async () => {
    const host = hosts()[0]!.name;
    const nasty = `it's $HOME; rm -rf ~x | cat & echo \`id\` > ~y`;
    const dir = workspace({
      'site.yml': `
- hosts: testbed
  gather_facts: false
  tasks:
    - file: { path: "/srv/rosey-it/quoting/{{ nasty }}", state: directory }
    - copy: { content: "{{ nasty }}\\n", dest: "/srv/rosey-it/quoting/{{ nasty }}/file" }
    - lineinfile: { path: "/srv/rosey-it/quoting/{{ nasty }}/file", line: "{{ nasty }} again" }
    - command: { argv: [printf, "%s", "{{ nasty }}"] }
      register: echoed
    - assert: { that: ["echoed.stdout == nasty"] }
`,
    });
    await exec(host, 'rm -rf /srv/rosey-it/quoting; touch /tmp/rosey-canary');
    const r = await rosey(['site.yml', '-i', 'inventory', '-l', host, '-e', JSON.stringify({ nasty })], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const listing = await exec(host, `ls /srv/rosey-it/quoting; cat "/srv/rosey-it/quoting/$(ls /srv/rosey-it/quoting)/file"; ls /tmp/rosey-canary`);
    expect(listing.stdout).toBe(`${nasty}\n${nasty}\n${nasty} again\n/tmp/rosey-canary\n`);
  });
});

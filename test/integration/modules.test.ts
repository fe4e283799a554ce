import { beforeAll, describe, expect, it } from 'vitest';
import { hosts } from './testbed.js';
import { recap, rosey, snapshot, statuses, workspace } from './harness.js';

const BASE = '/srv/rosey-it/modules';

const playbook = `
- name: every module, twice
  hosts: testbed
  vars:
    base: ${BASE}
    greeting: "hello from {{ inventory_hostname }}"
  tasks:
    - name: directory
      file: { path: "{{ base }}/conf", state: directory, mode: "0750" }
    - name: link
      file: { src: "{{ base }}/conf", dest: "{{ base }}/current", state: link }
    - name: copy content
      copy: { content: "{{ greeting }}\\n", dest: "{{ base }}/conf/greeting.txt", mode: "0640" }
    - name: copy src
      copy: { src: payload.txt, dest: "{{ base }}/conf/payload.txt" }
    - name: template
      template: { src: app.conf.hbs, dest: "{{ base }}/conf/app.conf", mode: "0644" }
    - name: lineinfile
      lineinfile: { path: "{{ base }}/conf/extra.conf", line: "extra = yes", insertafter: EOF, create: true }
    - name: command creates
      command: { cmd: "touch {{ base }}/conf/made-by-command", creates: "{{ base }}/conf/made-by-command" }
    - name: shell creates
      shell: "echo built > {{ base }}/conf/made-by-shell"
      args: { creates: "{{ base }}/conf/made-by-shell" }
    - name: set_fact
      set_fact: { computed: "{{ greeting }}!" }
    - name: assert
      assert: { that: ["computed == greeting + '!'"] }
    - name: debug
      debug: { msg: "{{ computed }}" }
`;

const hostModuleTasks = ['directory', 'link', 'copy content', 'copy src', 'template', 'lineinfile'];
const commandTasks = ['command creates', 'shell creates'];

describe('every module on real hosts over SSH', () => {
  let dir: string;
  let names: string[];
  beforeAll(async () => {
    names = hosts().map((h) => h.name);
    const { exec } = await import('./testbed.js');
    await Promise.all(names.map((h) => exec(h, `rm -rf ${BASE}`)));
    dir = workspace({
      'site.yml': playbook,
      'files/payload.txt': 'payload bytes: \'$;|&\n',
      'templates/app.conf.hbs': 'name = {{ inventory_hostname }}\nport = {{ facts.cpus }}\n',
    });
  });

  it('--check reports the changes and leaves every host byte-identical', async () => {
    const before = await Promise.all(names.map((h) => snapshot(h, [BASE])));
    const r = await rosey(['site.yml', '-i', 'inventory', '--check', '--json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    for (const t of hostModuleTasks.slice(0, 3)) expect(Object.values(statuses(r, t))).toEqual(names.map(() => 'changed'));
    // guarded by creates, a command that would run is a predicted change
    for (const t of commandTasks) expect(Object.values(statuses(r, t))).toEqual(names.map(() => 'changed'));
    const after = await Promise.all(names.map((h) => snapshot(h, [BASE])));
    expect(after).toEqual(before);
  });

  it('the first run changes each host module, the second changes nothing', async () => {
    const first = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    for (const t of [...hostModuleTasks, ...commandTasks]) expect(Object.values(statuses(first, t)), t).toEqual(names.map(() => 'changed'));
    const second = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
    expect(second.code).toBe(0);
    for (const t of hostModuleTasks) expect(Object.values(statuses(second, t)), t).toEqual(names.map(() => 'ok'));
    for (const t of commandTasks) expect(Object.values(statuses(second, t)), t).toEqual(names.map(() => 'ok'));
    for (const counts of Object.values(recap(second))) expect(counts.changed).toBe(0);
  });

  it('the files on the hosts hold exactly what the playbook says', async () => {
    const { exec } = await import('./testbed.js');
    const h = names[0]!;
    expect((await exec(h, `cat ${BASE}/conf/greeting.txt`)).stdout).toBe(`hello from ${h}\n`);
    expect((await exec(h, `cat ${BASE}/conf/payload.txt`)).stdout).toBe("payload bytes: '$;|&\n");
    expect((await exec(h, `cat ${BASE}/conf/app.conf`)).stdout).toMatch(new RegExp(`^name = ${h}\\nport = \\d+\\n$`));
    expect((await exec(h, `cat ${BASE}/conf/extra.conf`)).stdout).toBe('extra = yes\n');
    expect((await exec(h, `stat -c '%a %F' ${BASE}/conf ${BASE}/conf/greeting.txt; readlink ${BASE}/current`)).stdout).toBe(`750 directory\n640 regular file\n${BASE}/conf\n`);
  });

  it('--check --detailed-exitcode tells drift (3) from a clean state (0)', async () => {
    const clean = await rosey(['site.yml', '-i', 'inventory', '--check', '--detailed-exitcode'], dir);
    expect(clean.code, clean.stdout).toBe(0);
    const { exec } = await import('./testbed.js');
    await exec(names[0]!, `echo drift > ${BASE}/conf/greeting.txt`);
    const drift = await rosey(['site.yml', '-i', 'inventory', '--check', '--detailed-exitcode', '--diff'], dir);
    expect(drift.code).toBe(3);
    expect(drift.stdout).toContain('-drift');
    expect(drift.stdout).toContain(`+hello from ${names[0]}`);
  });
});

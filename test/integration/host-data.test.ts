import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { rosey, workspace, type RunResult } from './harness.js';

/**
 * A host is not trusted: what it says (command output, facts, files read
 * back) is data. A host that prints `{{ db_password }}` must get that text
 * back, never the variable's value.
 */
const EVIL = '{{ db_password }}';
const playbook = `
- hosts: testbed
  gather_facts: true
  vars:
    db_password: hunter2
  tasks:
    - name: read what the host says
      command: cat /tmp/rosey-evil.txt
      register: out
      changed_when: false
    - name: copy it back
      copy: { content: "{{ out.stdout }}", dest: /tmp/rosey-evil-copied.txt }
    - name: show it
      debug: { msg: "stdout=[{{ out.stdout }}]" }
    - set_fact: { again: "{{ out.stdout }}", from_fact: "{{ facts.codename }}" }
    - name: set_fact of host data, and a fact
      copy: { content: "{{ again }}|{{ from_fact }}|{{ facts.codename }}", dest: /tmp/rosey-evil-facts.txt }
    - name: loop items built from host data
      debug: { msg: "item=[{{ item }}]" }
      loop: "{{ out.stdout_lines }}"
`;

describe('data from a host is never rendered as a template', () => {
  let host: string;
  let r: RunResult;
  beforeAll(async () => {
    host = hosts()[0]!.name;
    await exec(
      host,
      `printf '%s' '${EVIL}' > /tmp/rosey-evil.txt; rm -f /tmp/rosey-evil-*; ` +
        `cp -P /etc/os-release /tmp/rosey-os-release.bak && sed 's/^VERSION_CODENAME=.*/VERSION_CODENAME="${EVIL}"/' /usr/lib/os-release > /etc/os-release.new && mv /etc/os-release.new /etc/os-release`,
    );
    r = await rosey(['site.yml', '-i', 'inventory', '-l', host], workspace({ 'site.yml': playbook }));
  });
  afterAll(async () => {
    await exec(host, 'mv -f /tmp/rosey-os-release.bak /etc/os-release; rm -f /tmp/rosey-evil*');
  });

  it('registered stdout reaches a file and debug output unchanged', async () => {
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await exec(host, 'cat /tmp/rosey-evil-copied.txt')).stdout).toBe(EVIL);
    expect(r.stdout).toContain(`stdout=[${EVIL}]`);
    expect(r.stdout).toContain(`(item=${EVIL})`);
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });

  it('a fact and a set_fact of host data stay text', async () => {
    expect((await exec(host, 'cat /tmp/rosey-evil-facts.txt')).stdout).toBe(`${EVIL}|${EVIL}|${EVIL}`);
  });

  it('a file read back for the diff is shown as it is', async () => {
    const dir = workspace({
      'diff.yml': `
- hosts: testbed
  gather_facts: false
  vars: { db_password: hunter2 }
  tasks:
    - copy: { content: "new\\n", dest: /tmp/rosey-evil-copied.txt }
`,
    });
    const d = await rosey(['diff.yml', '-i', 'inventory', '-l', host, '--check', '--diff'], dir);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(d.stdout).toContain(`-${EVIL}`);
    expect(d.stdout).not.toContain('hunter2');
  });
});

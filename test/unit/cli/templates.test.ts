import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'), 'bin', 'rosey-apply.cjs');

// two hosts on the controller itself (ansible_connection: local): debug and set_fact only
const INVENTORY = `all:
  vars:
    ansible_connection: local
    greeting: "hello from {{ inventory_hostname }}"
  hosts:
    a: { color: red }
    b: { color: blue }
`;

function run(playbook: string, args: string[] = []): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-tpl-'));
  mkdirSync(join(dir, 'inventory'));
  writeFileSync(join(dir, 'inventory', 'hosts.yml'), INVENTORY);
  writeFileSync(join(dir, 'site.yml'), playbook);
  const r = spawnSync(process.execPath, [BIN, 'site.yml', '-i', 'inventory', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: 'true', ROSEY_JOURNAL_DIR: join(dir, '.journal') } });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('Ansible users\' templates in playbooks', () => {
  it('Jinja filters and inline if work in task arguments', () => {
    const r = run(`- hosts: a
  gather_facts: false
  vars: { port: 8080 }
  tasks:
    - debug: { msg: "{{ missing | default('dflt') }} {{ 'p' if port > 80 else 'd' }} {{ color | upper }} {{ port | string | length }}" }
`);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('msg: dflt p RED 4');
  });

  it('what neither Handlebars nor the expression engine reads is refused at load: exit 1, file:line:col, nothing run', () => {
    const r = run(`- hosts: a
  gather_facts: false
  tasks:
    - debug: { msg: "ok" }
    - debug: { msg: "{{ color | uppr }}" }
`);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/site\.yml:5:\d+: invalid expression "\{\{ color \| uppr \}\}": unknown filter "uppr" \(did you mean "upper"\?\)/);
    expect(r.out).not.toContain('TASK [');
  });

  it('hostvars reads another host\'s inventory variables and set_fact values', () => {
    const r = run(`- hosts: all
  gather_facts: false
  tasks:
    - set_fact: { token: "tok-{{ inventory_hostname }}" }
- hosts: a
  gather_facts: false
  tasks:
    - debug: { msg: "{{ hostvars['b'].color }} / {{ hostvars.b.greeting }} / {{ hostvars['b'].token }} / {{ hostvars | length }}" }
`);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('msg: blue / hello from b / tok-b / 2');
  });

  it('hostvars has the facts a host gathered earlier in the run', () => {
    const r = run(`- hosts: b
  tasks: []
- hosts: a
  gather_facts: false
  tasks:
    - debug: { msg: "b's facts: {{ hostvars.b.facts is defined and (hostvars.b.facts | length) > 0 }}; a's: {{ hostvars.a.facts | length }}" }
`);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("msg: b's facts: true; a's: 0");
  });
});

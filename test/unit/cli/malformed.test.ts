import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contactListener } from './contact-listener.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(ROOT, 'bin', 'rosey-apply.cjs');

const listener = contactListener();

const inventory = () => `all:\n  children:\n    web:\n      hosts:\n        web1:\n          ansible_host: 127.0.0.1\n          ansible_port: ${listener.port()}\n          app_port: 8080\n`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-bad-'));
  for (const [rel, text] of Object.entries({ 'inventory/hosts.yml': inventory(), 'roles/common/tasks/main.yml': '- debug: { msg: hi }\n', ...files })) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function run(dir: string, args: string[] = []): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'site.yml', '-i', 'inventory', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ROSEY_JOURNAL_DIR: join(dir, '.journal') } });
  return { code: r.status, stderr: r.stderr };
}

const play = (tasks: string, head = '- hosts: web\n  gather_facts: false\n') => `${head}  tasks:\n${tasks}`;

const cases: { name: string; files: Record<string, string>; args?: string[]; where: RegExp; says: RegExp }[] = [
  { name: 'bad YAML', files: { 'site.yml': play('    - name: x\n      debug: { msg: [unclosed }\n') }, where: /site\.yml:5/, says: /invalid YAML/ },
  { name: 'unknown module', files: { 'site.yml': play('    - name: typo\n      cpoy: { dest: /tmp/x, content: y }\n') }, where: /site\.yml:5:7/, says: /unknown module or keyword "cpoy".*did you mean "copy"/ },
  { name: 'wrong argument type', files: { 'site.yml': play('    - copy: { dest: [1, 2], content: y }\n') }, where: /site\.yml:4/, says: /copy\.dest must be string/ },
  { name: 'unknown argument', files: { 'site.yml': play('    - copy: { dest: /tmp/x, contnet: y }\n') }, where: /site\.yml:4/, says: /unknown argument "contnet"/ },
  { name: 'undefined variable', files: { 'site.yml': play('    - debug: { msg: "port {{ app_prot }}" }\n') }, where: /site\.yml:4/, says: /undefined variable "app_prot".*did you mean "app_port"/ },
  { name: 'missing role', files: { 'site.yml': '- hosts: web\n  roles:\n    - commn\n' }, where: /site\.yml:3/, says: /role "commn" not found.*did you mean "common"/ },
  { name: 'bad host pattern', files: { 'site.yml': play('    - debug: { msg: hi }\n', '- hosts: wbe\n  gather_facts: false\n') }, where: /site\.yml|wbe/, says: /wbe/ },
  { name: 'misspelled play keyword', files: { 'site.yml': '- hosts: web\n  taks:\n    - debug: { msg: hi }\n' }, where: /site\.yml:2:3/, says: /unknown play keyword "taks".*did you mean "tasks"/ },
  { name: 'notify without handler', files: { 'site.yml': play('    - copy: { dest: /tmp/x, content: y }\n      notify: restart ap\n') + '  handlers:\n    - name: restart app\n      command: "true"\n' }, where: /site\.yml:4/, says: /notify "restart ap" matches no handler.*did you mean "restart app"/ },
  { name: 'bad when expression', files: { 'site.yml': play('    - debug: { msg: hi }\n      when: app_port ==\n') }, where: /site\.yml:5/, says: /./ },
  { name: 'missing vars file', files: { 'site.yml': '- hosts: web\n  vars_files: [vars/nope.yml]\n  tasks: []\n' }, where: /site\.yml:2/, says: /vars file not found: vars\/nope\.yml/ },
  { name: 'inventory: hosts as a list', files: { 'site.yml': play('    - debug: { msg: hi }\n'), 'inventory/hosts.yml': 'all:\n  hosts:\n    - web1\n' }, where: /hosts\.yml:3/, says: /./ },
  { name: 'inventory: bad port', files: { 'site.yml': play('    - debug: { msg: hi }\n'), 'inventory/hosts.yml': 'all:\n  children:\n    web:\n      hosts:\n        web1: { ansible_port: twenty-two }\n' }, where: /hosts\.yml:5/, says: /port/ },
];

describe('malformed playbooks and inventories', () => {
  it.each(cases)('$name: exits 1 with file:line and a useful message, contacting no host', ({ files, args, where, says }) => {
    const before = listener.contacts();
    const r = run(project(files), args);
    expect(r.stderr).toMatch(where);
    expect(r.stderr).toMatch(says);
    expect(r.stderr).not.toMatch(/INTERNAL ERROR|at .*\.js:\d+/);
    expect(r.code).toBe(1);
    expect(listener.contacts()).toBe(before);
  });

  it('reports every mistake of a file at once, not just the first', () => {
    const r = run(project({ 'site.yml': play('    - cpoy: { dest: /x }\n    - copy: { dest: 5 }\n') }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/site\.yml:4.*cpoy/);
    expect(r.stderr).toMatch(/site\.yml:5.*copy\.dest/);
  });

  it('the same playbook, fixed, runs (the harness itself works)', () => {
    const r = run(project({ 'site.yml': play('    - debug: { msg: "port {{ app_port }}" }\n') }), ['--syntax-check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

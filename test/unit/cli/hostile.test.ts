import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contactListener } from './contact-listener.js';

/**
 * Hostile and broken inputs: each must end within seconds with exit 1, the
 * file:line of the problem and no stack trace, before any host is contacted.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(ROOT, 'bin', 'rosey-apply.cjs');

const listener = contactListener();

const inventory = () => `all:\n  hosts:\n    web1:\n      ansible_host: 127.0.0.1\n      ansible_port: ${listener.port()}\n`;

function project(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-hostile-'));
  for (const [rel, text] of Object.entries({ 'inventory/hosts.yml': inventory(), ...files })) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function run(dir: string, args: string[] = []): { code: number | null; stderr: string; signal: NodeJS.Signals | null } {
  const r = spawnSync(process.execPath, [BIN, 'site.yml', '-i', 'inventory', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 20_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ROSEY_JOURNAL_DIR: join(dir, '.journal') },
  });
  return { code: r.status, stderr: r.stderr, signal: r.signal };
}

const play = (tasks: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`;
const nested = (n: number): string => {
  let text = '- hosts: all\n  gather_facts: false\n  tasks:\n';
  for (let i = 0; i < n; i++) text += `${'  '.repeat(i + 2)}- block:\n`;
  return text + `${'  '.repeat(n + 2)}- debug: { msg: deep }\n`;
};
const nestedFlow = (n: number): string => `- hosts: all\n  gather_facts: false\n  tasks: ${'[{block: '.repeat(n)}[{debug: {msg: deep}}]${'}]'.repeat(n)}\n`;
const laughs = (): string => {
  let text = 'x: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = 'a';
  for (const n of 'bcdefghi') {
    text += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = n;
  }
  return text;
};

interface Case {
  name: string;
  files: Record<string, string | Buffer>;
  args?: string[];
  where: RegExp;
  says: RegExp;
}

const cases: Case[] = [
  { name: 'a NUL byte in a path', files: { 'site.yml': play('    - copy: { content: x, dest: "/tmp/nul\\0byte" }\n') }, where: /site\.yml:4:/, says: /NUL/ },
  { name: 'a NUL byte in an inventory value', files: { 'site.yml': play('    - debug: { msg: hi }\n'), 'inventory/hosts.yml': 'all:\n  hosts:\n    web1: { ansible_host: "127.0.0.1\\0evil" }\n' }, where: /hosts\.yml:3:/, says: /NUL/ },
  { name: 'a task file importing itself three times', files: { 'site.yml': play('    - import_tasks: loop.yml\n'), 'loop.yml': '- import_tasks: loop.yml\n- import_tasks: loop.yml\n- import_tasks: loop.yml\n' }, where: /loop\.yml:1:/, says: /import cycle: .*loop\.yml -> .*loop\.yml/ },
  { name: 'two task files importing each other', files: { 'site.yml': play('    - import_tasks: a.yml\n'), 'a.yml': '- import_tasks: b.yml\n', 'b.yml': '- include_tasks: a.yml\n' }, where: /b\.yml:1:/, says: /import cycle: .*a\.yml -> .*b\.yml -> .*a\.yml/ },
  { name: 'an import_playbook cycle', files: { 'site.yml': '- import_playbook: other.yml\n', 'other.yml': '- import_playbook: site.yml\n' }, where: /site\.yml/, says: /import_playbook cycle/ },
  { name: '__proto__ as a task key', files: { 'site.yml': play('    - debug: { msg: hi }\n      __proto__: { when: false }\n') }, where: /site\.yml:5:7/, says: /"__proto__" is not allowed/ },
  { name: '__proto__ as an inventory host', files: { 'site.yml': play('    - debug: { msg: hi }\n'), 'inventory/hosts.yml': 'all:\n  hosts:\n    __proto__: { ansible_host: 127.0.0.1 }\n' }, where: /hosts\.yml:3:5/, says: /"__proto__" is not allowed/ },
  { name: '__proto__ in -e JSON', files: { 'site.yml': play('    - debug: { msg: hi }\n') }, args: ['-e', '{"__proto__": {"polluted": 1}}'], where: /-e argument 1:1:/, says: /"__proto__" is not allowed/ },
  { name: 'a playbook over the size limit', files: { 'site.yml': play('    - debug: { msg: hi }\n') + `# ${'x'.repeat(5 * 1024 * 1024)}\n` }, where: /site\.yml:1:1/, says: /limited to 4 MiB/ },
  { name: '3,000 nested blocks', files: { 'site.yml': nestedFlow(3000) }, where: /site\.yml:\d+:\d+/, says: /nested too deeply|nested more than/ },
  { name: '200 nested blocks (past the depth limit, under the parser\'s)', files: { 'site.yml': nested(200) }, where: /site\.yml:\d+:\d+/, says: /nested more than 256 levels/ },
  { name: '3,000 nested blocks, indented (8 MiB of spaces)', files: { 'site.yml': nested(3000) }, where: /site\.yml:1:1/, says: /limited to 4 MiB/ },
  { name: 'bad UTF-8 in a playbook', files: { 'site.yml': Buffer.concat([Buffer.from(play('    - debug: { msg: hi }\n    - debug: { msg: "caf')), Buffer.from([0xe9]), Buffer.from('" }\n')]) }, where: /site\.yml:5:/, says: /not valid UTF-8/ },
  { name: 'bad UTF-8 in a vars file', files: { 'site.yml': '- hosts: all\n  vars_files: [v.yml]\n  tasks: []\n', 'v.yml': Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]) }, where: /v\.yml:1:/, says: /not valid UTF-8/ },
  { name: 'a billion laughs', files: { 'site.yml': play('    - debug: { msg: hi }\n'), 'inventory/group_vars/all.yml': laughs() }, where: /all\.yml:\d+:\d+/, says: /aliases expand to more than/ },
  { name: 'an alias inside its own anchor', files: { 'site.yml': play('    - debug: { msg: hi }\n      vars: { r: &r [*r] }\n') }, where: /site\.yml:5:/, says: /inside its own anchor/ },
  { name: 'an unknown alias', files: { 'site.yml': play('    - debug: { msg: *nowhere }\n') }, where: /site\.yml:4:/, says: /alias|nowhere/ },
  { name: 'a merge key of a scalar', files: { 'site.yml': play('    - debug: { <<: 5, msg: hi }\n') }, where: /site\.yml:4:/, says: /merge key/ },
  { name: 'a duplicate key', files: { 'site.yml': play('    - debug: { msg: a, msg: b }\n') }, where: /site\.yml:4:/, says: /invalid YAML/ },
  { name: 'a tab in the indentation', files: { 'site.yml': '- hosts: all\n\ttasks: []\n' }, where: /site\.yml:2:/, says: /invalid YAML/ },
  { name: '/dev/zero as a vars file', files: { 'site.yml': '- hosts: all\n  vars_files: [/dev/zero]\n  tasks: []\n' }, where: /zero/, says: /not a regular file/ },
  { name: 'a directory as a task file', files: { 'site.yml': play('    - import_tasks: sub\n'), 'sub/x': '' }, where: /sub/, says: /not a regular file/ },
  { name: 'a playbook that is a scalar', files: { 'site.yml': 'hello\n' }, where: /site\.yml:1:/, says: /./ },
  { name: 'a task that is a string', files: { 'site.yml': play('    - "rm -rf /"\n') }, where: /site\.yml:4:/, says: /a task must be a mapping/ },
  { name: 'when: with require()', files: { 'site.yml': play('    - debug: { msg: hi }\n      when: require("child_process")\n') }, where: /site\.yml:5:/, says: /./ },
  { name: 'when: with a constructor chain', files: { 'site.yml': play('    - debug: { msg: hi }\n      when: "\'\'.constructor.constructor(\'return process\')()"\n') }, where: /site\.yml:5:/, says: /./ },
  { name: 'a template reaching for a prototype', files: { 'site.yml': play('    - debug: { msg: "{{ lookup.constructor }}" }\n') }, where: /site\.yml:4:/, says: /undefined variable|not allowed/ },
  { name: 'a role that is not there', files: { 'site.yml': '- hosts: all\n  roles: [../nowhere/at/all]\n' }, where: /site\.yml:2:/, says: /role "\.\.\/nowhere\/at\/all" not found/ },
  { name: 'a missing -e file', files: { 'site.yml': play('    - debug: { msg: hi }\n') }, args: ['-e', '@nope.yml'], where: /nope\.yml/, says: /not found|cannot read/ },
  { name: 'a huge host range', files: { 'site.yml': play('    - debug: { msg: hi }\n'), 'inventory/hosts.yml': 'all:\n  hosts:\n    web[1:100000000]:\n' }, where: /hosts\.yml:3:/, says: /range|hosts/ },
  { name: 'a 40 KB line with a mistake in it', files: { 'site.yml': play(`    - debug: { msg: "${'a'.repeat(40_000)}", nope: 1 }\n`) }, where: /site\.yml:4:/, says: /unknown argument "nope"/ },
  { name: 'an undefined variable inside a deep value', files: { 'site.yml': play('    - copy: { dest: /tmp/x, content: "{{ a.b.c.d }}" }\n') }, where: /site\.yml:4:/, says: /undefined variable "a"/ },
];

describe('hostile and broken input', () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)('$name: exit 1, file:line, no host contacted', ({ files, args, where, says }) => {
    const before = listener.contacts();
    const r = run(project(files), args);
    expect(r.signal, 'still running after 20 s').toBeNull();
    expect(r.stderr).toMatch(where);
    expect(r.stderr).toMatch(says);
    expect(r.stderr).not.toMatch(/INTERNAL ERROR|at .*\.js:\d+/);
    // an error names the problem; it does not echo a whole file or a 40 KB line
    expect(r.stderr.length).toBeLessThan(8000);
    expect(r.code).toBe(1);
    expect(listener.contacts()).toBe(before);
  });
});

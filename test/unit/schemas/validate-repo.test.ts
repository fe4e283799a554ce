import { readdirSync, readFileSync, statSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/yaml/source.js';

/** The published schemas against every playbook, task file and inventory in the repository, and a few bad ones. */
const root = resolve(import.meta.dirname, '../../..');
const ajv = new Ajv({ strict: false, allErrors: true });
const schema = (name: string): ValidateFunction => ajv.compile(JSON.parse(readFileSync(join(root, 'schemas', name), 'utf8')) as object);
const playbook = schema('playbook.schema.json');
const tasks = schema('tasks.schema.json');
const inventory = schema('inventory.schema.json');

function files(dir: string, keep: (rel: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name) && keep(relative(root, p))) out.push(p);
    }
  };
  walk(join(root, dir));
  return out.sort();
}

const load = (file: string): unknown => parseYaml(readFileSync(file, 'utf8'), file);
const yaml = (text: string): unknown => parseYaml(text, 'inline.yml');
const errors = (v: ValidateFunction): string => ajv.errorsText(v.errors);

const isTaskFile = (rel: string): boolean => /\/roles\/[^/]+\/(tasks|handlers)\//.test(`/${rel}`);
const PLAYBOOKS = [
  ...files('playbooks', () => true),
  ...files('bench/workload/rosey', () => true),
  ...files('test/fixtures/ansible-compat', (rel) => rel.endsWith('/site.yml')),
];
const TASK_FILES = [
  ...files('roles', isTaskFile),
  ...files('test/fixtures/ansible-compat', (rel) => isTaskFile(rel) || /\/steps[^/]*\.yml$/.test(rel)),
];
const INVENTORIES = [
  ...files('inventory', (rel) => rel.endsWith('/hosts.yml')),
  ...files('test/fixtures/inventory', (rel) => rel.endsWith('/hosts.yml') && !rel.includes('/bad') && !rel.includes('/connection/')),
];

describe('the published schemas accept the repository', () => {
  it('finds the files', () => {
    expect(PLAYBOOKS.length).toBeGreaterThan(20);
    expect(TASK_FILES.length).toBeGreaterThan(10);
    expect(INVENTORIES.length).toBeGreaterThanOrEqual(5);
  });
  it.each(PLAYBOOKS.map((f) => [relative(root, f)]))('playbook %s', (rel) => {
    expect(playbook(load(join(root, rel))), errors(playbook)).toBe(true);
  });
  it.each(TASK_FILES.map((f) => [relative(root, f)]))('task file %s', (rel) => {
    expect(tasks(load(join(root, rel))), errors(tasks)).toBe(true);
  });
  it.each(INVENTORIES.map((f) => [relative(root, f)]))('inventory %s', (rel) => {
    expect(inventory(load(join(root, rel))), errors(inventory)).toBe(true);
  });
});

describe('the published schemas refuse what the loader refuses', () => {
  it.each([
    ['a misspelled module argument', '- name: x\n  copy: { dest: /x, mdoe: "0644" }\n'],
    ['a value outside the enum', '- file: { path: /x, state: folder }\n'],
    ['an unknown keyword', '- name: x\n  command: ls\n  whn: true\n'],
    ['a missing required argument', '- file: { state: directory }\n'],
    ['a bad register name', '- command: ls\n  register: 1x\n'],
    ['a bad task inside a block', '- block:\n    - copy: { dest: /x, contnet: y }\n'],
    ['a task that is a string', '- just text\n'],
    ['a task that names no module', '- name: only a name\n  when: true\n'],
  ])('task file: %s', (_what, text) => {
    expect(tasks(yaml(text))).toBe(false);
  });

  it('accepts templated values, aliases and the free form', () => {
    const ok = '- meta: flush_handlers\n- import_tasks: x.yml\n- block: []\n- copy: { dest: "{{ d }}", content: x, mode: "{{ m }}", force: "{{ f }}" }\n- file: { dest: /x, state: absent }\n- command: ls -l creates=/x\n- ansible.builtin.service: { name: x, state: started }\n';
    expect(tasks(yaml(ok)), errors(tasks)).toBe(true);
  });

  it.each([
    ['a play without hosts', '- name: x\n  tasks: []\n'],
    ['an unknown play keyword', '- hosts: all\n  task: []\n'],
    ['a bad task in a play', '- hosts: all\n  tasks:\n    - copy: { dest: /x, mdoe: "0644" }\n'],
    ['serial of 0', '- hosts: all\n  serial: 0\n'],
    ['a mapping instead of a list of plays', 'hosts: all\n'],
  ])('playbook: %s', (_what, text) => {
    expect(playbook(yaml(text))).toBe(false);
  });

  it.each(['all-as-child', 'bad-group-name', 'bad-var-name', 'children-list', 'group-not-map', 'hosts-list', 'top-list', 'unknown-key', 'vars-list'])(
    'inventory fixture bad/%s.yml',
    (name) => {
      expect(inventory(load(join(root, 'test/fixtures/inventory/bad', `${name}.yml`)))).toBe(false);
    },
  );

  it('flags exactly the hosts whose connection variables connection-spec.ts refuses', () => {
    expect(inventory(load(join(root, 'test/fixtures/inventory/connection/hosts.yml')))).toBe(false);
    const flagged = new Set((inventory.errors ?? []).map((e) => /^\/all\/hosts\/([^/]+)\/./.exec(e.instancePath)?.[1]).filter(Boolean));
    expect([...flagged].sort()).toEqual(['bad-checking', 'bad-kind', 'bad-many', 'bad-port']);
  });
});

describe('yaml-language-server headers', () => {
  const headed = [...PLAYBOOKS, ...TASK_FILES, ...INVENTORIES].filter((f) => readFileSync(f, 'utf8').startsWith('# yaml-language-server:'));
  it('every playbook of playbooks/ carries one', () => {
    const missing = PLAYBOOKS.filter((f) => relative(root, f).startsWith('playbooks/') && !headed.includes(f)).map((f) => relative(root, f));
    expect(missing, 'add "# yaml-language-server: $schema=../schemas/playbook.schema.json" as the first line').toEqual([]);
  });
  it.each(headed.map((f) => [relative(root, f)]))('%s names the right schema by a path that exists', (rel) => {
    const file = join(root, rel);
    const target = /^# yaml-language-server: \$schema=(\S+)/.exec(readFileSync(file, 'utf8'))![1]!;
    const want = PLAYBOOKS.includes(file) ? 'playbook' : TASK_FILES.includes(file) ? 'tasks' : 'inventory';
    expect(target).toMatch(new RegExp(`schemas/${want}\\.schema\\.json$`));
    expect(existsSync(resolve(dirname(file), target))).toBe(true);
  });
});

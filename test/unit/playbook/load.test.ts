import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors/diagnostic.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import type { Task, TaskNode } from '../../../src/playbook/types.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-pb-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const flat = (nodes: TaskNode[]): Task[] => nodes.flatMap((n) => (n.kind === 'block' ? [...flat(n.block), ...flat(n.rescue), ...flat(n.always)] : [n]));

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err.diagnostics.map((d) => `${d.source?.line}: ${d.summary}`);
    throw err;
  }
  return [];
}

describe('playbook loading', () => {
  it('loads roles with meta dependencies first, each once, and their handlers and defaults', () => {
    const dir = project({
      'playbooks/site.yml': '- hosts: all\n  roles: [app, base]\n  tasks:\n    - debug: { msg: play }\n',
      'roles/base/tasks/main.yml': '- debug: { msg: base }\n',
      'roles/base/defaults/main.yml': 'base_port: 1\n',
      'roles/app/meta/main.yml': 'dependencies: [base]\n',
      'roles/app/tasks/main.yml': '- copy: { dest: /x, content: y }\n  notify: restart app\n',
      'roles/app/handlers/main.yml': '- name: restart app\n  command: "true"\n',
    });
    const play = loadPlaybook(join(dir, 'playbooks/site.yml')).plays[0]!;
    expect(play.roles.map((r) => r.name)).toEqual(['base', 'app']);
    expect(play.roles[0]!.defaults).toEqual({ base_port: 1 });
    const tasks = flat(play.sections[1]!.tasks);
    expect(tasks.map((t) => t.args.msg ?? t.module)).toEqual(['base', 'copy', 'play']);
    expect(tasks[1]!.role?.name).toBe('app');
    expect(play.handlers.map((h) => h.name)).toEqual(['restart app']);
  });

  it('import_tasks becomes a block carrying the import\'s when and tags; blocks keep rescue/always', () => {
    const dir = project({
      'site.yml': '- hosts: all\n  tasks:\n    - import_tasks: more.yml\n      when: x == 1\n      tags: [t]\n    - block:\n        - command: "false"\n      rescue:\n        - debug: { msg: rescued }\n      always:\n        - debug: { msg: always }\n',
      'more.yml': '- debug: { msg: imported }\n',
    });
    const [imp, blk] = loadPlaybook(join(dir, 'site.yml')).plays[0]!.sections[1]!.tasks;
    expect(imp).toMatchObject({ kind: 'block', when: ['x == 1'], tags: ['t'] });
    expect(flat([imp!]).map((t) => t.args.msg)).toEqual(['imported']);
    expect(blk).toMatchObject({ kind: 'block' });
    expect(flat([blk!]).map((t) => t.module)).toEqual(['command', 'debug', 'debug']);
  });

  it('collects every error across imported files and roles, with their lines', () => {
    const dir = project({
      'site.yml': '- hosts: all\n  roles: [bad]\n  tasks:\n    - import_tasks: missing.yml\n    - import_tasks: broken.yml\n',
      'broken.yml': '- debug: { msg: ok }\n- shel: ls\n',
      'roles/bad/tasks/main.yml': '- copy: { dest: 1 }\n',
    });
    const errors = errorsOf(() => loadPlaybook(join(dir, 'site.yml')));
    expect(errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/^4: task file not found: missing\.yml/), expect.stringMatching(/^2: unknown module or keyword "shel".*"shell"/), expect.stringMatching(/^1: copy\.dest must be string/)]),
    );
  });

  it('refuses a task with two modules, and one with none', () => {
    const dir = project({ 'site.yml': '- hosts: all\n  tasks:\n    - copy: { dest: /x, content: y }\n      file: { path: /y }\n    - name: nothing\n' });
    const errors = errorsOf(() => loadPlaybook(join(dir, 'site.yml')));
    expect(errors).toEqual([expect.stringMatching(/^3: a task runs one module, this one names 2/), expect.stringMatching(/^5: this task names no module/)]);
  });

  it('accepts templated values where the schema wants another type, to be checked once rendered', () => {
    const dir = project({ 'site.yml': '- hosts: all\n  tasks:\n    - file: { path: /x, state: "{{ wanted }}", mode: "{{ m }}" }\n' });
    expect(() => loadPlaybook(join(dir, 'site.yml'))).not.toThrow();
  });
});

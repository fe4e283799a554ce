import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeHosts, HOSTS3, project } from './fake-host.js';
import { runPlay, type Observed } from './run-play.js';

/** Task keywords over in-memory hosts (fake-host.ts): until/retries, run_once, meta, force_handlers, roles from tasks, check_mode. */
async function play(yaml: string, opts: { files?: Record<string, string>; flags?: string[] } = {}): Promise<Observed & { fake: FakeHosts }> {
  const dir = project({ 'hosts.yml': HOSTS3, 'site.yml': yaml, ...opts.files });
  const fake = new FakeHosts();
  const r = await runPlay(join(dir, 'site.yml'), join(dir, 'hosts.yml'), opts.flags, fake.connect);
  return { ...r, fake };
}

describe('until / retries / delay', () => {
  it('retries until the condition holds; attempts counts the runs', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - {name: wait, command: flaky-3, register: w, until: w.rc == 0, retries: 5, delay: 0}
    - {name: check, assert: {that: [w.attempts == 3, w.rc == 0]}}
`);
    expect(r.error).toBeUndefined();
    expect(r.ran.h1).toEqual(['changed wait', 'ok check']);
    expect(r.fake.commands('h1')).toEqual(['flaky-3', 'flaky-3', 'flaky-3']);
  });

  it('gives up after retries + 1 runs, failed, with attempts on the result', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - {name: wait, command: fail, register: w, until: w.rc == 0, retries: 2, delay: 0, ignore_errors: true}
    - {name: check, assert: {that: [w.attempts == 3, w.failed]}}
`);
    expect(r.ran.h1).toEqual(['ignored wait', 'ok check']);
    expect(r.fake.commands('h1')).toHaveLength(3);
  });

  it('templated retries and delay are rendered per host', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  vars: {patience: 1, pause: "0"}
  tasks:
    - {name: wait, command: fail, register: w, until: w.rc == 0, retries: "{{ patience }}", delay: "{{ pause }}", ignore_errors: true}
    - {name: check, assert: {that: [w.attempts == 2]}}
`);
    expect(r.ran.h1).toEqual(['ignored wait', 'ok check']);
    expect(r.fake.commands('h1')).toHaveLength(2);
  });

  it('a templated retries that is not a count fails the task, naming it', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  vars: {patience: soon}
  tasks:
    - {name: wait, command: fail, register: w, until: w.rc == 0, retries: "{{ patience }}", delay: 0}
`);
    expect(r.ran.h1).toEqual(['failed wait']);
    expect(r.fake.commands('h1')).toEqual([]);
  });

  it('works on a controller module too', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - {name: once, debug: {msg: hi}, register: d, until: d.msg == 'hi', retries: 1, delay: 0}
    - {name: check, assert: {that: [d.attempts == 1]}}
`);
    expect(r.ran.h1).toEqual(['ok once', 'ok check']);
  });
});

describe('run_once', () => {
  it('runs on the first host; every host gets the registered result', async () => {
    const r = await play(`- hosts: all
  gather_facts: false
  tasks:
    - {name: migrate, command: ok migrate, run_once: true, register: m}
    - {name: sees it, assert: {that: [m.rc == 0]}}
`);
    expect(r.ran.h1).toEqual(['changed migrate', 'ok sees it']);
    expect(r.ran.h2).toEqual(['ok sees it']);
    expect(r.fake.commands('h2')).toEqual([]);
  });
});

describe('handlers', () => {
  const handlers = `  handlers:
    - {name: restart, command: ok restart}
`;
  it('meta: flush_handlers runs notified handlers before the next task', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - {name: config, command: ok config, notify: restart}
    - meta: flush_handlers
    - {name: check, command: ok check}
${handlers}`);
    expect(r.fake.commands('h1')).toEqual(['ok config', 'ok restart', 'ok check']);
  });

  it('a handler runs once even when flushed twice', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - {name: config, command: ok config, notify: restart}
    - meta: flush_handlers
    - meta: flush_handlers
${handlers}`);
    expect(r.fake.commands('h1')).toEqual(['ok config', 'ok restart']);
  });

  it('without force_handlers a host that fails after a notify does not run the handler; with it, it does', async () => {
    const body = (force: boolean): string => `- hosts: h1
  gather_facts: false
  force_handlers: ${force}
  tasks:
    - {name: config, command: ok config, notify: restart}
    - {name: breaks, command: fail}
${handlers}`;
    expect((await play(body(false))).fake.commands('h1')).toEqual(['ok config', 'fail']);
    const forced = await play(body(true));
    expect(forced.fake.commands('h1')).toEqual(['ok config', 'fail', 'ok restart']);
    expect(forced.rc).toBe(2);
  });

  it('every handler listening to a topic runs, in definition order', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - {name: config, command: ok config, notify: web changed}
  handlers:
    - {name: reload a, command: ok a, listen: web changed}
    - {name: unrelated, command: ok u}
    - {name: reload b, command: ok b, listen: web changed}
`);
    expect(r.fake.commands('h1')).toEqual(['ok config', 'ok a', 'ok b']);
  });
});

describe('roles from tasks', () => {
  const files = {
    'roles/app/tasks/main.yml': '- {name: main, command: "ok {{ port }}", notify: app restart}\n',
    'roles/app/tasks/setup.yml': '- {name: setup, command: "ok setup {{ port }}"}\n',
    'roles/app/defaults/main.yml': 'port: 80\n',
    'roles/app/handlers/main.yml': '- {name: app restart, command: ok restarted}\n',
  };
  it('import_role and include_role run the role with its params, tasks_from and handlers', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - import_role: {name: app}
    - include_role: {name: app, tasks_from: setup, vars: {port: 8080}}
`, { files });
    expect(r.error).toBeUndefined();
    expect(r.fake.commands('h1')).toEqual(['ok 80', 'ok setup 8080', 'ok restarted']);
    expect(r.ran.h1).toContain('ok include_role');
  });

  it('include_role with a false when is one skipped task', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - {name: maybe, include_role: {name: app}, when: false}
`, { files });
    expect(r.ran.h1).toEqual(['skipped maybe']);
  });
});

describe('check_mode on a task', () => {
  it('check_mode: false runs for real under --check; others are only planned', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - {name: probe, command: ok probe, check_mode: false}
    - {name: change, command: ok change}
`, { flags: ['--check'] });
    expect(r.fake.commands('h1')).toEqual(['ok probe']);
    expect(r.ran.h1).toEqual(['changed probe', 'skipped change']);
  });

  it('check_mode: true only plans, even without --check', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - {name: dry, command: ok dry, check_mode: true}
`);
    expect(r.fake.commands('h1')).toEqual([]);
  });
});

describe('include_tasks', () => {
  it('a templated file name is read when the host reaches it; its when is checked once', async () => {
    const r = await play(`- hosts: all
  gather_facts: false
  tasks:
    - name: per host
      include_tasks: "steps-{{ inventory_hostname }}.yml"
      when: inventory_hostname != 'h3'
`, { files: { 'steps-h1.yml': '- {name: one, command: ok one}\n', 'steps-h2.yml': '- {name: two, command: ok two}\n' } });
    expect(r.ran.h1).toEqual(['ok per host', 'changed one']);
    expect(r.ran.h2).toEqual(['ok per host', 'changed two']);
    expect(r.ran.h3).toEqual(['skipped per host']);
  });

  it('a file that does not exist fails that host, not the run', async () => {
    const r = await play(`- hosts: all
  gather_facts: false
  tasks:
    - name: per host
      include_tasks: "steps-{{ inventory_hostname }}.yml"
`, { files: { 'steps-h1.yml': '- {name: one, command: ok one}\n', 'steps-h2.yml': '- {name: two, command: ok two}\n' } });
    expect(r.recap.h3!.failed).toBe(1);
    expect(r.ran.h1).toEqual(['ok per host', 'changed one']);
  });
});

describe('keywords on blocks', () => {
  it('check_mode: false on a block applies to its tasks', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - {name: probe, command: ok probe}
      check_mode: false
`, { flags: ['--check'] });
    expect(r.fake.commands('h1')).toEqual(['ok probe']);
  });

  it('a task-only keyword on a block is refused at load, naming it', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - {name: probe, command: ok probe}
      register: x
`);
    expect(r.rc).toBe(1);
    expect(r.error).toMatch(/site\.yml:6:\d+: "register" is not valid on a block/);
    expect(r.fake.ran.size).toBe(0);
  });
});

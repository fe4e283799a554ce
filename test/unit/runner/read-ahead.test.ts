import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../../src/transport/connect.js';
import { ExecCounter } from '../../../src/transport/exec-count.js';
import { project } from './fake-host.js';
import { runPlay } from './run-play.js';

/**
 * A play's later tasks have their facts read with the first task's
 * (runner/read-ahead.ts): a play that changes nothing reads its host once.
 * What was read ahead must never hide what an earlier task of the same run
 * did. Real local connections, counted as rosey-apply counts them.
 */
const inventory = 'all:\n  hosts:\n    here: {ansible_connection: local}\n';

async function counted(dir: string, play: string, flags: string[] = []): Promise<{ execs: number; rc: number; ran: string[] }> {
  const counter = new ExecCounter();
  const r = await runPlay(join(dir, play), join(dir, 'hosts.yml'), flags, async (spec) => counter.wrap(await connect(spec)));
  return { execs: counter.total('here'), rc: r.rc, ran: r.ran.here ?? [] };
}

function play(tasks: string, vars = ''): string {
  return `- hosts: here\n  gather_facts: false\n${vars}  tasks:\n${tasks}`;
}

describe.skipIf(process.getuid?.() !== 0)('facts read ahead for the rest of the play', () => {
  it('a play of six tasks that changes nothing costs what one task does: the lock with one read, the release', async () => {
    const root = join(project({}), 'app');
    const tasks = [
      `    - name: dirs\n      file: {path: "${root}/{{ item }}", state: directory}\n      loop: [etc, bin]\n`,
      `    - name: confs\n      copy: {dest: "${root}/etc/{{ item }}.conf", content: "{{ item }}\\n"}\n      loop: [a, b, c]\n`,
      `    - name: link\n      file: {src: "${root}/bin", path: "${root}/current", state: link}\n`,
      `    - name: line\n      lineinfile: {path: "${root}/etc/env", line: "PORT=1", create: true}\n`,
      `    - name: once\n      command: {cmd: "touch ${root}/done", creates: "${root}/done"}\n`,
      `    - name: mode\n      file: {path: "${root}/etc/a.conf", mode: "0600"}\n`,
    ].join('');
    const dir = project({ 'hosts.yml': inventory, 'six.yml': play(tasks), 'one.yml': play(`    - name: one\n      file: {path: "${root}", state: directory}\n`) });
    const first = await counted(dir, 'six.yml');
    expect(first.ran).toEqual(['changed dirs', 'changed confs', 'changed link', 'changed line', 'changed once', 'changed mode']);
    const again = await counted(dir, 'six.yml');
    expect(again.ran).toEqual(['ok dirs', 'ok confs', 'ok link', 'ok line', 'ok once', 'ok mode']);
    const one = await counted(dir, 'one.yml');
    expect(one.ran).toEqual(['ok one']);
    expect(again.execs).toBe(one.execs);
    expect(again.execs).toBe(2);
    // --check reads as little, and changes nothing
    const check = await counted(dir, 'six.yml', ['--check']);
    expect(check.ran).toEqual(again.ran);
    expect(check.execs).toBeLessThanOrEqual(again.execs);
  });

  it('a later task sees what an earlier one changed in the same file', async () => {
    const dir = project({ 'hosts.yml': inventory });
    const conf = join(dir, 'app.conf');
    writeFileSync(conf, 'start\n');
    const tasks = `    - name: first line\n      lineinfile: {path: "${conf}", line: one}\n    - name: second line\n      lineinfile: {path: "${conf}", line: two}\n`;
    writeFileSync(join(dir, 'lines.yml'), play(tasks));
    expect((await counted(dir, 'lines.yml')).ran).toEqual(['changed first line', 'changed second line']);
    expect(readFileSync(conf, 'utf8')).toBe('start\none\ntwo\n');
    expect((await counted(dir, 'lines.yml')).ran).toEqual(['ok first line', 'ok second line']);
  });

  it('a command that reports no change still makes later tasks read the host again', async () => {
    const dir = project({ 'hosts.yml': inventory });
    const conf = join(dir, 'app.conf');
    // the command rewrites the file every run and says it changed nothing; the copy after it must put it back every run
    const tasks =
      `    - name: dir\n      file: {path: "${dir}", state: directory}\n` +
      `    - name: scribble\n      shell: "echo scribbled > ${conf}"\n      changed_when: false\n` +
      `    - name: put back\n      copy: {dest: "${conf}", content: "clean\\n"}\n`;
    writeFileSync(join(dir, 'scribble.yml'), play(tasks));
    // the first task read the copy's facts ahead, before the command ran
    expect((await counted(dir, 'scribble.yml')).ran).toEqual(['ok dir', 'ok scribble', 'changed put back']);
    expect((await counted(dir, 'scribble.yml')).ran).toEqual(['ok dir', 'ok scribble', 'changed put back']);
    expect(readFileSync(conf, 'utf8')).toBe('clean\n');
  });

  it('arguments prepared ahead are not used once a variable they came from changed (set_fact, register)', async () => {
    const dir = project({ 'hosts.yml': inventory });
    const tasks =
      `    - name: before\n      file: {path: "${dir}/{{ name }}", state: directory}\n` +
      `    - name: rename\n      set_fact: {name: after}\n` +
      `    - name: after\n      file: {path: "${dir}/{{ name }}", state: directory}\n` +
      `    - name: look\n      stat: {path: "${dir}/after"}\n      register: st\n` +
      `    - name: from the result\n      file: {path: "{{ st.stat.path }}-too", state: directory}\n`;
    writeFileSync(join(dir, 'vars.yml'), play(tasks, '  vars:\n    name: before\n'));
    const r = await counted(dir, 'vars.yml');
    expect(r.ran).toEqual(['changed before', 'ok rename', 'changed after', 'ok look', 'changed from the result']);
    expect(['before', 'after', 'after-too'].map((d) => existsSync(join(dir, d)))).toEqual([true, true, true]);
  });

  it('two modules that ask the same question each read the answer their own way (stat, then file on one link)', async () => {
    const dir = project({ 'hosts.yml': inventory });
    const tasks =
      `    - name: look\n      stat: {path: "${dir}/current"}\n      register: st\n` +
      `    - name: link\n      file: {src: "${dir}", path: "${dir}/current", state: link}\n` +
      `    - name: saw\n      assert: {that: ["st.stat.exists == (not first_run | bool)"]}\n`;
    writeFileSync(join(dir, 'same.yml'), play(tasks));
    const first = await runPlay(join(dir, 'same.yml'), join(dir, 'hosts.yml'), ['-e', 'first_run=true']);
    expect(first.ran.here).toEqual(['ok look', 'changed link', 'ok saw']);
    const again = await counted(dir, 'same.yml', ['-e', 'first_run=false']);
    expect(again.ran).toEqual(['ok look', 'ok link', 'ok saw']);
  });

  it('a task whose condition waits for a registered result reads its facts when it runs', async () => {
    const dir = project({ 'hosts.yml': inventory });
    const tasks =
      `    - name: probe\n      command: "true"\n      register: probe\n      changed_when: false\n` +
      `    - name: only after the probe\n      file: {path: "${dir}/made", state: directory}\n      when: probe.rc == 0\n`;
    writeFileSync(join(dir, 'when.yml'), play(tasks));
    expect((await counted(dir, 'when.yml')).ran).toEqual(['ok probe', 'changed only after the probe']);
    expect((await counted(dir, 'when.yml')).ran).toEqual(['ok probe', 'ok only after the probe']);
  });
});

import { chmodSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/runner/events.js';
import { overlaps } from '../../../src/runner/loop-facts.js';
import { connect } from '../../../src/transport/connect.js';
import { ExecCounter } from '../../../src/transport/exec-count.js';
import { lockDirFor, runRecordPath } from '../../../src/transport/host-paths.js';
import { writeRemoteRecord } from '../../../src/journal/writer.js';
import { project } from './fake-host.js';
import { runPlay } from './run-play.js';

/**
 * A loop's items read their facts in one remote command (runner/loop-facts.ts):
 * the count of remote commands is behaviour (the --json recap reports it),
 * and what the items do must stay what it was when each read its own.
 * Real local connections, counted as rosey-apply counts them.
 */
const inventory = 'all:\n  hosts:\n    here: {ansible_connection: local}\n';

async function counted(dir: string, play: string, flags: string[] = []): Promise<{ execs: number; rc: number; events: RunEvent[]; ran: string[] }> {
  const counter = new ExecCounter();
  const r = await runPlay(join(dir, play), join(dir, 'hosts.yml'), flags, async (spec) => counter.wrap(await connect(spec)));
  return { execs: counter.total('here'), rc: r.rc, events: r.events, ran: r.ran.here ?? [] };
}

function play(tasks: string): string {
  return `- hosts: here\n  gather_facts: false\n  tasks:\n${tasks}`;
}

describe.skipIf(process.getuid?.() !== 0)('loop facts read in one command', () => {
  it('a loop of 6 items reads its facts in one remote command, as one task does (no change, and --check of a first apply)', async () => {
    const root = join(project({}), 'tree');
    const dir = project({
      'hosts.yml': inventory,
      'one.yml': play(`    - name: one\n      file: {path: "${root}-one", state: directory}\n`),
      'dirs.yml': play(`    - name: dirs\n      file: {path: "${root}/{{ item }}", state: directory, mode: "0750"}\n      loop: [a, b, c, d, e, f]\n`),
    });
    // what one task costs with the run's own commands (lock, pending handler marks) around it
    const oneCheck = await counted(dir, 'one.yml', ['--check']);
    const check = await counted(dir, 'dirs.yml', ['--check']);
    expect(check.ran).toEqual(['changed dirs']);
    expect(check.execs).toBe(oneCheck.execs);
    expect(existsSync(join(root, 'a'))).toBe(false);
    const first = await counted(dir, 'dirs.yml');
    expect(first.ran).toEqual(['changed dirs']);
    expect(['a', 'b', 'c', 'd', 'e', 'f'].every((d) => existsSync(join(root, d)))).toBe(true);
    await counted(dir, 'one.yml');
    const one = await counted(dir, 'one.yml');
    expect(one.ran).toEqual(['ok one']);
    // the floor: the lock with the task's facts (and the pending handler marks) riding along, then the release
    expect(one.execs).toBe(2);
    const again = await counted(dir, 'dirs.yml');
    expect(again.ran).toEqual(['ok dirs']);
    expect(again.execs).toBe(one.execs);
  });

  it('the run record and the lock\'s release are one command, the host\'s last', async () => {
    const root = join(project({}), 'tree');
    const dir = project({ 'hosts.yml': inventory, 'one.yml': play(`    - name: one\n      file: {path: "${root}-one", state: directory}\n`) });
    await counted(dir, 'one.yml');
    const counter = new ExecCounter();
    const r = await runPlay(join(dir, 'one.yml'), join(dir, 'hosts.yml'), [], async (spec) => counter.wrap(await connect(spec)), (conn, record, h, then) =>
      writeRemoteRecord(conn, record, h.name, undefined, then),
    );
    expect(r.ran.here).toEqual(['ok one']);
    // the lock (with the pending handler marks and the task's facts), the record with the release
    expect(counter.total('here')).toBe(2);
    expect(existsSync(runRecordPath('test-run'))).toBe(true);
    // the record written by the script itself: whole, 0640, no temp file left beside it
    const written = JSON.parse(readFileSync(runRecordPath('test-run'), 'utf8')) as { id: string; hosts: { host: string }[] };
    expect([written.id, written.hosts.map((x) => x.host)]).toEqual(['test-run', ['here']]);
    expect(statSync(runRecordPath('test-run')).mode & 0o777).toBe(0o640);
    expect(readdirSync(dirname(runRecordPath('test-run'))).filter((f) => f.startsWith('.test-run.json.rosey-'))).toEqual([]);
    expect(existsSync(lockDirFor('here'))).toBe(false);
  });

  it('an item sees what an earlier item of the same loop changed (three lines into one file)', async () => {
    const dir = project({ 'hosts.yml': inventory, 'app.conf': 'start\n' });
    const conf = join(dir, 'app.conf');
    const tasks =
      `    - name: lines\n      lineinfile: {path: "${conf}", line: "{{ item }}"}\n      loop: [one, two, three]\n      register: added\n` +
      `    - name: per item\n      assert:\n        that:\n          - added.results | length == 3\n          - added.results[1].item == "two"\n          - added.results[1].changed == (first_run | bool)\n`;
    const dir2 = project({ 'hosts.yml': inventory, 'lines.yml': play(tasks) });
    const first = await counted(dir2, 'lines.yml', ['-e', 'first_run=true']);
    expect(first.ran).toEqual(['changed lines', 'ok per item']);
    expect(readFileSync(conf, 'utf8')).toBe('start\none\ntwo\nthree\n');
    const again = await counted(dir2, 'lines.yml', ['-e', 'first_run=false']);
    expect(again.ran).toEqual(['ok lines', 'ok per item']);
    expect(readFileSync(conf, 'utf8')).toBe('start\none\ntwo\nthree\n');
  });

  it('items writing distinct files keep their batched facts after an earlier item wrote: one read for the whole first apply', async () => {
    const out = project({});
    const dir = project({
      'hosts.yml': inventory,
      'one.yml': play(`    - name: one\n      lineinfile: {path: "${out}/one.conf", line: "x=1", create: true}\n`),
      'many.yml': play(`    - name: many\n      lineinfile: {path: "${out}/{{ item }}.conf", line: "x=1", create: true}\n      loop: [a, b, c, d]\n`),
    });
    const one = await counted(dir, 'one.yml');
    const many = await counted(dir, 'many.yml');
    expect(many.ran).toEqual(['changed many']);
    // one read and one write for one file; one read and four writes for four
    expect(many.execs).toBe(one.execs + 3);
    expect(['a', 'b', 'c', 'd'].map((f) => readFileSync(join(out, `${f}.conf`), 'utf8'))).toEqual(['x=1\n', 'x=1\n', 'x=1\n', 'x=1\n']);
  });

  it('directories that are no links keep their batched facts: a first apply of 4 costs one read and four writes', async () => {
    const root = join(project({}), 'tree');
    const dir = project({
      'hosts.yml': inventory,
      'one.yml': play(`    - name: one\n      file: {path: "${root}-one", state: directory, mode: "0750"}\n`),
      'dirs.yml': play(`    - name: dirs\n      file: {path: "${root}/{{ item }}", state: directory, mode: "0750"}\n      loop: [a, b, c/d, e]\n`),
    });
    const one = await counted(dir, 'one.yml');
    const dirs = await counted(dir, 'dirs.yml');
    expect(dirs.ran).toEqual(['changed dirs']);
    expect(dirs.execs).toBe(one.execs + 3);
    expect(['a', 'b', 'c/d', 'e'].every((d) => existsSync(join(root, d)))).toBe(true);
  });

  it('an item that is a link to an earlier item\'s directory sees that directory as the earlier item left it', async () => {
    const root = project({ 'real/keep': '' });
    chmodSync(join(root, 'real'), 0o700);
    symlinkSync('real', join(root, 'via'));
    // dangling until the first item makes its target
    symlinkSync('made', join(root, 'later'));
    const dir = project({
      'hosts.yml': inventory,
      'dirs.yml': play(`    - name: dirs\n      file: {path: "${root}/{{ item }}", state: directory, mode: "0750"}\n      loop: [real, via, made, later]\n      register: r\n`),
    });
    const r = await counted(dir, 'dirs.yml');
    // read before "real" changed, "via" would chmod again and "later" would be a dangling link
    expect(r.ran).toEqual(['changed dirs']);
    const results = r.events.flatMap((e) => (e.kind === 'host-result' && e.task.title === 'dirs' ? (e.result.items ?? []) : []));
    expect(results.map((i) => [i.label, i.result.status])).toEqual([
      ['real', 'changed'],
      ['via', 'ok'],
      ['made', 'changed'],
      ['later', 'ok'],
    ]);
    expect((statSync(join(root, 'real')).mode & 0o777).toString(8)).toBe('750');
  });

  it('items skipped by when and an item that fails keep their own results', async () => {
    const dir = project({ 'hosts.yml': inventory });
    const tasks =
      `    - name: some\n      file: {path: "${dir}/{{ item }}", state: directory}\n      loop: [x, skip, "hosts.yml/z"]\n      when: item != "skip"\n      register: made\n      ignore_errors: true\n` +
      `    - name: seen\n      assert:\n        that:\n          - made.results[0].changed\n          - made.results[1].skipped\n          - made.results[2].failed\n          - made.results | length == 3\n`;
    const dir2 = project({ 'hosts.yml': inventory, 'some.yml': play(tasks) });
    const r = await counted(dir2, 'some.yml');
    expect(r.ran).toEqual(['ignored some', 'ok seen']);
    expect(existsSync(join(dir, 'x'))).toBe(true);
  });
});

describe('overlapping paths', () => {
  it.each([
    ['/srv/app', '/srv/app', true],
    ['/srv/app/', '/srv/app', true],
    ['/srv/app', '/srv/app/conf/x', true],
    ['/srv/app/conf/x', '/srv/app', true],
    ['/srv/app', '/srv/application', false],
    ['/srv/a/1.conf', '/srv/a/2.conf', false],
    ['/srv//a/../b', '/srv/b', true],
    ['/', '/etc', true],
    ['relative', '/etc', true],
  ])('%s and %s: %s', (a, b, want) => {
    expect(overlaps(a, b)).toBe(want);
  });
});

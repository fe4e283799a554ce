import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/runner/events.js';
import { FakeHosts, HOSTS3, project } from './fake-host.js';
import { runPlay, type Observed } from './run-play.js';

/** Whole plays over in-memory hosts (fake-host.ts): block/rescue/always, serial, max_fail_percentage, any_errors_fatal. */
async function play(yaml: string, opts: { files?: Record<string, string>; flags?: string[]; unreachable?: string[] } = {}): Promise<Observed & { fake: FakeHosts }> {
  const dir = project({ 'hosts.yml': HOSTS3, 'site.yml': yaml, ...opts.files });
  const fake = new FakeHosts(opts.unreachable);
  const r = await runPlay(join(dir, 'site.yml'), join(dir, 'hosts.yml'), opts.flags, fake.connect);
  return { ...r, fake };
}

/** The hosts of each task, in the order the tasks started: shows batches. */
function starts(events: RunEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'task-start' ? [`${e.task.title}: ${e.hosts.join(',')}`] : []));
}

const counts = (ok: number, changed = 0, failed = 0, skipped = 0, rescued = 0, ignored = 0): Record<string, number> => ({ ok, changed, failed, skipped, rescued, ignored, unreachable: 0 });

describe('block / rescue / always', () => {
  it('a failure runs rescue, which sees the failed task and result; always runs; the play goes on', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - {name: breaks, command: fail}
        - {name: not reached, command: ok}
      rescue:
        - name: sees the failure
          assert:
            that:
              - ansible_failed_task.name == 'breaks'
              - rosey_failed_task.name == 'breaks'
              - ansible_failed_result.rc == 1
      always:
        - {name: cleanup, debug: {msg: always}}
    - {name: after, command: ok}
`);
    expect(r.error).toBeUndefined();
    expect(r.ran.h1).toEqual(['failed breaks', 'ok sees the failure', 'ok cleanup', 'changed after']);
    expect(r.recap.h1).toEqual(counts(3, 1, 0, 0, 1));
    expect(r.rc).toBe(0);
  });

  it('a failing rescue fails the host; always still runs, nothing after it', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - {name: breaks, command: fail}
      rescue:
        - {name: rescue breaks too, command: fail}
      always:
        - {name: cleanup, command: ok}
    - {name: after, command: ok}
`);
    expect(r.ran.h1).toEqual(['failed breaks', 'failed rescue breaks too', 'changed cleanup']);
    expect(r.recap.h1!.failed).toBe(1);
    expect(r.rc).toBe(2);
  });

  it('without a failure, rescue is not run and always is', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - {name: fine, command: ok}
      rescue:
        - {name: rescue, command: ok}
      always:
        - {name: cleanup, command: ok}
`);
    expect(r.ran.h1).toEqual(['changed fine', 'changed cleanup']);
    expect(r.recap.h1!.rescued).toBe(0);
  });

  it('without rescue, always runs and the host stays failed', async () => {
    const r = await play(`- hosts: all
  gather_facts: false
  tasks:
    - block:
        - {name: step, command: fail-on-h2}
      always:
        - {name: cleanup, command: ok}
    - {name: after, command: ok}
`);
    expect(r.ran.h2).toEqual(['failed step', 'changed cleanup']);
    expect(r.ran.h1).toEqual(['changed step', 'changed cleanup', 'changed after']);
    expect(r.rc).toBe(2);
  });

  it('an inner failure with no rescue of its own is caught by the outer rescue', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - block:
            - {name: deep, command: fail}
          always:
            - {name: inner always, command: ok}
      rescue:
        - {name: outer rescue, debug: {msg: "{{ ansible_failed_task.name }}"}}
`);
    expect(r.ran.h1).toEqual(['failed deep', 'changed inner always', 'ok outer rescue']);
    expect(r.rc).toBe(0);
  });

  it('a block whose when is false skips each task, rescue and always included', async () => {
    const r = await play(`- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - {name: a, command: ok}
      always:
        - {name: b, command: ok}
      when: false
`);
    expect(r.ran.h1).toEqual(['skipped a', 'skipped b']);
  });
});

describe('serial batches', () => {
  const tasks = `  gather_facts: false
  tasks:
    - {name: one, command: ok}
    - {name: two, command: ok}
`;
  it('a number: that many hosts at a time, each batch through all tasks', async () => {
    const r = await play(`- hosts: all\n  serial: 2\n${tasks}`);
    expect(starts(r.events)).toEqual(['one: h1,h2', 'two: h1,h2', 'one: h3', 'two: h3']);
  });

  it('a percentage of the play\'s hosts, rounded down, at least one (as Ansible: 50% of 3 is 1)', async () => {
    expect(starts((await play(`- hosts: all\n  serial: "50%"\n${tasks}`)).events)).toEqual(['one: h1', 'two: h1', 'one: h2', 'two: h2', 'one: h3', 'two: h3']);
    expect(starts((await play(`- hosts: all\n  serial: "67%"\n${tasks}`)).events)).toEqual(['one: h1,h2', 'two: h1,h2', 'one: h3', 'two: h3']);
  });

  it('a list: successive batch sizes, the last repeating', async () => {
    const r = await play(`- hosts: all\n  serial: [1, "100%"]\n${tasks}`);
    expect(starts(r.events)).toEqual(['one: h1', 'two: h1', 'one: h2,h3', 'two: h2,h3']);
  });

  it('ansible_play_batch names the hosts of the batch', async () => {
    const r = await play(`- hosts: all
  serial: 2
  gather_facts: false
  tasks:
    - {name: batch, debug: {msg: "{{ join ansible_play_batch ',' }}"}}
`);
    const msgs = r.events.flatMap((e) => (e.kind === 'host-result' ? [`${e.host}=${e.result.msg}`] : []));
    expect(msgs.sort()).toEqual(['h1=h1,h2', 'h2=h1,h2', 'h3=h3']);
  });

  it('every host of a batch failing ends the run: later batches never start', async () => {
    const r = await play(`- hosts: all\n  serial: 1\n  gather_facts: false\n  tasks:\n    - {name: one, command: fail-on-h1}\n`);
    expect(Object.keys(r.recap)).toEqual(['h1']);
    expect(r.rc).toBe(2);
  });
});

describe('max_fail_percentage and any_errors_fatal', () => {
  it('serial 1, max_fail_percentage 0: the failing second host stops the play before the third', async () => {
    const r = await play(`- hosts: all
  serial: 1
  max_fail_percentage: 0
  gather_facts: false
  tasks:
    - {name: deploy, command: fail-on-h2}
    - {name: verify, command: ok}
`);
    expect(r.ran).toEqual({ h1: ['changed deploy', 'changed verify'], h2: ['failed deploy'] });
    expect(Object.keys(r.recap)).toEqual(['h1', 'h2']);
    expect(r.rc).toBe(2);
  });

  it('crossing the limit stops the batch at once: the next task runs on no host', async () => {
    const r = await play(`- hosts: all
  max_fail_percentage: 30
  gather_facts: false
  tasks:
    - {name: deploy, command: fail-on-h2}
    - {name: verify, command: ok}
`);
    expect(r.ran.h1).toEqual(['changed deploy']);
    expect(r.fake.commands('h3')).toEqual(['fail-on-h2']);
  });

  it('under the limit the play goes on', async () => {
    const r = await play(`- hosts: all
  max_fail_percentage: 34
  gather_facts: false
  tasks:
    - {name: deploy, command: fail-on-h2}
    - {name: verify, command: ok}
`);
    expect(r.ran.h1).toEqual(['changed deploy', 'changed verify']);
    expect(r.ran.h3).toEqual(['changed deploy', 'changed verify']);
  });

  it('any_errors_fatal: one failure stops every host', async () => {
    const r = await play(`- hosts: all
  any_errors_fatal: true
  gather_facts: false
  tasks:
    - {name: deploy, command: fail-on-h3}
    - {name: verify, command: ok}
`);
    expect(r.ran.h1).toEqual(['changed deploy']);
    expect(r.rc).toBe(2);
  });

  it('a failure a rescue handles does not count against the limit', async () => {
    const r = await play(`- hosts: all
  any_errors_fatal: true
  gather_facts: false
  tasks:
    - block:
        - {name: deploy, command: fail-on-h3}
      rescue:
        - {name: roll back, command: ok}
    - {name: verify, command: ok}
`);
    expect(r.ran.h3).toEqual(['failed deploy', 'changed roll back', 'changed verify']);
    expect(r.ran.h1).toEqual(['changed deploy', 'changed verify']);
    expect(r.rc).toBe(0);
  });

  it('an unreachable host counts as failed', async () => {
    const r = await play(`- hosts: all
  max_fail_percentage: 0
  gather_facts: false
  tasks:
    - {name: deploy, command: ok}
    - {name: verify, command: ok}
`, { unreachable: ['h2'] });
    expect(r.ran.h1).toEqual(['changed deploy']);
    expect(r.rc).toBe(4);
  });
});

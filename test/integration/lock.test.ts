import { afterEach, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { rosey, workspace } from './harness.js';

/** CI applies on merge while a person rolls back from a laptop: two runs never interleave on a host. */
describe('one run at a time per host', () => {
  // a lock left behind would hold every later test off the host
  afterEach(async () => {
    await exec(hosts()[2]!.name, 'rm -rf /var/lib/rosey/locks');
  });

  it('a second run waits up to --lock-timeout, then fails naming the holder, the host untouched; --check takes no lock', async () => {
    const host = hosts()[2]!.name;
    await exec(host, 'rm -f /tmp/rosey-lock-second');
    const dir = workspace({
      'slow.yml': '- hosts: testbed\n  gather_facts: false\n  tasks:\n    - command: sleep 8\n',
      'second.yml': '- hosts: testbed\n  gather_facts: false\n  tasks:\n    - copy: { content: "second\\n", dest: /tmp/rosey-lock-second }\n',
    });
    const first = rosey(['slow.yml', '-i', 'inventory', '-l', host], dir, { ROSEY_USER: 'alice' });
    // until the first run holds the lock
    for (let i = 0; i < 100; i++) {
      if ((await exec(host, 'cat /var/lib/rosey/locks/*/holder.json 2>/dev/null')).stdout.includes('alice')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const checked = await rosey(['second.yml', '-i', 'inventory', '-l', host, '--check'], dir, { ROSEY_USER: 'bob' });
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    const second = await rosey(['second.yml', '-i', 'inventory', '-l', host, '--lock-timeout', '1'], dir, { ROSEY_USER: 'bob' });
    expect(second.code).toBe(2);
    expect(second.stdout).toMatch(/is locked by run \S+ by alice \(.*slow\.yml/);
    expect((await exec(host, 'test -e /tmp/rosey-lock-second; echo $?')).stdout.trim()).toBe('1');
    expect((await first).code).toBe(0);
    // the first run let go: the next one gets the host
    const third = await rosey(['second.yml', '-i', 'inventory', '-l', host, '--lock-timeout', '1'], dir, { ROSEY_USER: 'bob' });
    expect(third.code, third.stdout).toBe(0);
    expect((await exec(host, 'cat /tmp/rosey-lock-second')).stdout).toBe('second\n');
    expect((await exec(host, 'ls /var/lib/rosey/locks')).stdout.trim()).toBe('');
  });

  it('unlock breaks a lock left by a run that is gone, naming it', async () => {
    const host = hosts()[2]!.name;
    await exec(host, `mkdir -p /var/lib/rosey/locks/${host} && printf '%s' '{"run":"20261127T000000Z-dead00","user":"carol","playbook":"site.yml","started":"x"}' > /var/lib/rosey/locks/${host}/holder.json`);
    const dir = workspace({});
    const r = await rosey(['unlock', '-i', 'inventory', '--limit', host], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/removed the lock of run 20261127T000000Z-dead00 by carol/);
    expect((await exec(host, `test -e /var/lib/rosey/locks/${host}; echo $?`)).stdout.trim()).toBe('1');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, hosts, start, stop } from './testbed.js';
import { recap, rosey, statuses, workspace } from './harness.js';

const BASE = '/srv/rosey-it/failures';

describe('failed and unreachable hosts', () => {
  let dir: string;
  let names: string[];
  beforeAll(() => {
    names = hosts().map((h) => h.name);
    dir = workspace({
      'site.yml': `
- hosts: testbed
  tasks:
    - file: { path: ${BASE}, state: directory }
    - name: marker
      copy: { content: "done\\n", dest: ${BASE}/marker }
`,
    });
  });

  describe('with one host down', () => {
    beforeAll(async () => {
      await exec(names[1]!, `rm -rf ${BASE}`).catch(() => undefined);
      await stop(names[1]!);
    });
    afterAll(async () => {
      await start(names[1]!);
    });

    it('the others complete, the exit code is 4 and the recap names the host', async () => {
      await Promise.all([names[0]!, names[2]!].map((h) => exec(h, `rm -rf ${BASE}`)));
      const r = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
      expect(r.code, r.stdout + r.stderr).toBe(4);
      const counts = recap(r);
      expect(counts[names[1]!]!.unreachable).toBe(1);
      for (const h of [names[0]!, names[2]!]) {
        expect((counts[h]!.failed ?? 0) + (counts[h]!.unreachable ?? 0)).toBe(0);
        expect((await exec(h, `cat ${BASE}/marker`)).stdout).toBe('done\n');
      }
      const plain = await rosey(['site.yml', '-i', 'inventory'], dir);
      expect(plain.stdout).toMatch(new RegExp(`${names[1]}\\s*: ok=0\\s+changed=0\\s+unreachable=1`));
    });
  });

  it('a failed task drops its host, the others carry on, exit 2', async () => {
    const d = workspace({
      'site.yml': `
- hosts: testbed
  gather_facts: false
  tasks:
    - name: fails on one host
      command: { cmd: "test {{ inventory_hostname }} != ${names[0]}" }
    - name: after
      command: "true"
`,
    });
    const r = await rosey(['site.yml', '-i', 'inventory', '--json'], d);
    expect(r.code, r.stdout).toBe(2);
    expect(statuses(r, 'fails on one host')[names[0]!]).toBe('failed');
    const after = statuses(r, 'after');
    expect(after[names[0]!]).toBeUndefined();
    // names[2]: the host the test above did not restart (a freshly rebooted one is checked above)
    expect(after[names[2]!], r.stdout).toBe('changed');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { recap, rosey, workspace } from './harness.js';

const BASE = '/srv/rosey-it/serial';

/** Rolling batches over real hosts: what ran where is read back from each host. */
describe('serial and max_fail_percentage over real hosts', () => {
  let names: string[];
  beforeEach(async () => {
    names = hosts().map((h) => h.name);
    await Promise.all(names.map((h) => exec(h, `rm -rf ${BASE}`)));
  });

  /** what a host wrote, or "" when nothing ran there */
  const read = async (host: string, file: string): Promise<string> => (await exec(host, `cat ${BASE}/${file} 2>/dev/null || true`)).stdout.trim();

  it('serial: 1, max_fail_percentage: 0: the failing second host stops the play before the third is touched', async () => {
    const dir = workspace({
      'site.yml': `
- hosts: testbed
  serial: 1
  max_fail_percentage: 0
  gather_facts: false
  tasks:
    - file: { path: ${BASE}, state: directory }
    - name: deploy
      command: { cmd: "test {{ inventory_hostname }} != ${names[1]}" }
    - name: deployed
      copy: { content: "yes\\n", dest: ${BASE}/deployed }
`,
    });
    const r = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(await read(names[0]!, 'deployed')).toBe('yes');
    expect(await read(names[1]!, 'deployed')).toBe('');
    expect((await exec(names[2]!, `test -e ${BASE} && echo touched || echo untouched`)).stdout.trim()).toBe('untouched');
    const counts = recap(r);
    expect(Object.keys(counts).sort()).toEqual([names[0]!, names[1]!].sort());
    expect(counts[names[1]!]!.failed).toBe(1);
  });

  const batchPlay = (serial: string): string => `
- hosts: testbed
  serial: ${serial}
  gather_facts: false
  tasks:
    - file: { path: ${BASE}, state: directory }
    - name: batch
      copy: { content: "{{ join ansible_play_batch ',' }}\\n", dest: ${BASE}/batch }
`;

  it('serial: "67%" of 3 hosts makes batches of 2 and 1', async () => {
    const r = await rosey(['site.yml', '-i', 'inventory'], workspace({ 'site.yml': batchPlay('"67%"') }));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const pair = `${names[0]},${names[1]}`;
    expect([await read(names[0]!, 'batch'), await read(names[1]!, 'batch'), await read(names[2]!, 'batch')]).toEqual([pair, pair, names[2]]);
  });

  it('serial: "50%" of 3 hosts rounds down, as Ansible does: three batches of 1', async () => {
    const r = await rosey(['site.yml', '-i', 'inventory'], workspace({ 'site.yml': batchPlay('"50%"') }));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of names) expect(await read(h, 'batch')).toBe(h);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { cut, exec, hosts, restore } from './testbed.js';
import { recap, rosey, workspace } from './harness.js';

const BASE = '/srv/rosey-it/cut';

describe('a connection cut while a file is being written', () => {
  let host: string;
  afterAll(async () => {
    if (host) await restore(host);
  });

  it('leaves the old file intact (no partial file) and reports the host unreachable', async () => {
    host = hosts()[0]!.name;
    await exec(host, `rm -rf ${BASE}; mkdir -p ${BASE}; echo old > ${BASE}/big.bin`);
    // 64 MiB of content: long enough in flight to cut the network under it
    const dir = workspace({
      'site.yml': `
- hosts: testbed
  gather_facts: false
  tasks:
    - copy: { src: big.bin, dest: ${BASE}/big.bin }
`,
      'files/big.bin': 'x'.repeat(64 * 1024 * 1024),
    });
    const run = rosey(['site.yml', '-i', 'inventory', '-l', host, '--json'], dir);
    // cut as soon as the temp file exists on the host, i.e. mid-transfer
    for (let i = 0; i < 600; i++) {
      const r = await exec(host, `ls -a ${BASE} | grep -c rosey- || true`);
      if (r.stdout.trim() !== '0') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    await cut(host);
    const r = await run;
    await restore(host);
    expect(r.code).toBe(4);
    expect(recap(r)[host]!.unreachable).toBe(1);
    // the host learns of the cut only later (the stalled session ends once the
    // network is back): wait for that, so a late end-of-input cannot install
    // a truncated file after the check
    for (let i = 0; i < 300; i++) {
      // the install script removes its temp file when it ends, whichever way
      const left = await exec(host, `ls -a ${BASE} | grep -c rosey- || true`);
      if (left.stdout.trim() === '0') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect((await exec(host, `cat ${BASE}/big.bin; ls -a ${BASE}`)).stdout).toBe('old\n.\n..\nbig.bin\n');
  });
});

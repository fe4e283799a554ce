import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { rosey, snapshot, testbedInventory, workspace } from './harness.js';

const BASE = '/srv/rosey-it/undo';

const playbook = (names: string[]) => `
- name: change five files
  hosts: ${names.join(',')}
  tasks:
    - name: text replaced
      copy: { content: "new text\\n", dest: ${BASE}/a.conf }
    - name: binary replaced
      copy: { src: new.bin, dest: ${BASE}/b.bin }
    - name: link over a file
      file: { path: ${BASE}/c, src: /etc/hostname, state: link, force: true }
    - name: line edited
      lineinfile: { path: ${BASE}/d.txt, regexp: "^port=", line: "port=9" }
    - name: file removed
      file: { path: ${BASE}/e.txt, state: absent }
    - name: file created
      copy: { content: "created\\n", dest: ${BASE}/f.new }
`;

// a binary over 1 MiB: no diff can show it, so only apply's own report records its backup
const SETUP = `rm -rf ${BASE} && mkdir -p ${BASE} && printf 'old text\\n' > ${BASE}/a.conf && head -c 1300000 /dev/urandom > ${BASE}/b.bin && printf 'was a file\\n' > ${BASE}/c && printf 'a=1\\nport=8\\n' > ${BASE}/d.txt && printf 'doomed\\n' > ${BASE}/e.txt`;

describe('runs and undo on two hosts', () => {
  let dir: string;
  let names: string[];
  let before: string[];
  let runId: string;
  beforeAll(async () => {
    names = hosts().slice(0, 2).map((h) => h.name);
    await Promise.all(names.map((h) => exec(h, SETUP)));
    dir = workspace({ 'site.yml': playbook(names), 'inventory/hosts.yml': testbedInventory({ names }) });
    mkdirSync(join(dir, 'files'));
    writeFileSync(join(dir, 'files/new.bin'), Buffer.concat([Buffer.from([0, 1, 2, 255]), randomBytes(4096)]), { flag: 'w' });
    before = await Promise.all(names.map((h) => snapshot(h, [BASE])));
    const r = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    runId = String(r.events.find((e) => e.event === 'recap')!.run);
  });

  it('runs lists the run from the hosts\' records', async () => {
    const r = await rosey(['runs', '-i', 'inventory'], dir);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith(runId));
    expect(line).toMatch(new RegExp(`^${runId}\\t\\S+Z\\t\\S+\\t\\S*site\\.yml\\tchanged=12\\thosts=2\\tok$`));
  });

  it('undo --check says what it would do and changes nothing', async () => {
    const changed = await Promise.all(names.map((h) => snapshot(h, [BASE])));
    const r = await rosey(['undo', runId, '-i', 'inventory', '--check', '--diff'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`would restore ${BASE}/a.conf: [${names[0]}]`);
    expect(r.stdout).toContain(`would remove file ${BASE}/f.new (created by the run): [${names[1]}]`);
    expect(r.stdout).toContain('+old text');
    expect(await Promise.all(names.map((h) => snapshot(h, [BASE])))).toEqual(changed);
  });

  it('undo restores all five files on both hosts byte for byte and removes the created one', async () => {
    const r = await rosey(['undo', runId, '-i', 'inventory'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.match(/^changed: /gm)?.length).toBe(12);
    expect(await Promise.all(names.map((h) => snapshot(h, [BASE])))).toEqual(before);
  });

  it('a second undo changes nothing, and the undo has its own record', async () => {
    const r = await rosey(['undo', runId, '-i', 'inventory'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/^changed: /m);
    for (const h of names) expect(r.stdout).toContain(`ok: [${h}] nothing to undo`);
    expect(await Promise.all(names.map((h) => snapshot(h, [BASE])))).toEqual(before);
    const runs = await rosey(['runs', '-i', 'inventory'], dir);
    expect(runs.stdout).toMatch(new RegExp(`\\tundo of ${runId}\\tchanged=12\\thosts=2\\tok`));
    expect(runs.stdout).toMatch(new RegExp(`\\tundo of ${runId}\\tchanged=0\\thosts=2\\tok`));
  });
});

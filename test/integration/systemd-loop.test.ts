import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { rosey, testbedInventory, workspace, type RunResult } from './harness.js';

/**
 * The bench's system part on a real host: two unit files, the two units
 * enabled and started with daemon_reload (a loop), a handler restarting
 * both. What each task costs in remote commands is behaviour (the --json
 * recap reports it): the state of both units is read in one command that
 * asks systemd about every unit once, and each unit's steps (daemon-reload,
 * enable, start) are one command.
 */
const playbook = `
- hosts: testbed
  gather_facts: false
  vars:
    desc: v1
  tasks:
    - name: unit files
      copy:
        content: "[Unit]\\nDescription=rit {{ item }} {{ desc }}\\n[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n"
        dest: "/etc/systemd/system/rit-{{ item }}.service"
      loop: [a, b]
      notify: restart units
    - name: units
      systemd: { name: "rit-{{ item }}", enabled: true, state: started, daemon_reload: true }
      loop: [a, b]
  handlers:
    - name: restart units
      systemd: { name: "rit-{{ item }}", state: restarted, daemon_reload: true }
      loop: [a, b]
`;

const CLEAN = 'systemctl disable --now rit-a rit-b >/dev/null 2>&1; rm -f /etc/systemd/system/rit-a.service /etc/systemd/system/rit-b.service; systemctl daemon-reload';

interface Result {
  status: string;
  execs: number;
  changes: { summary: string }[];
  items: { item: string; status: string }[];
}

function results(r: RunResult, host: string): Record<string, Result> {
  return Object.fromEntries(r.events.filter((e) => e.event === 'host-result' && e.host === host).map((e) => [String(e.task), e as unknown as Result]));
}

describe('systemd units in a loop on a real host', () => {
  let host = '';
  let dir = '';
  beforeAll(async () => {
    host = hosts()[0]!.name;
    await exec(host, CLEAN);
    dir = workspace({ 'inventory/hosts.yml': testbedInventory({ names: [host] }), 'site.yml': playbook });
  });
  afterAll(async () => {
    await exec(host, CLEAN);
  });

  it('first apply, no change, then changed unit files: daemon-reload once, the units run the new files', async () => {
    const first = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const f = results(first, host);
    // one read for both units, one command for enable + start of each, a re-read after the first changed the host
    expect([f.units!.status, f.units!.execs]).toEqual(['changed', 4]);
    expect(f.units!.changes.map((c) => c.summary)).toEqual(['enable rit-a, start rit-a', 'enable rit-b, start rit-b']);
    expect([f['restart units']!.status, f['restart units']!.execs]).toEqual(['changed', 4]);
    expect((await exec(host, 'systemctl is-active rit-a rit-b && systemctl is-enabled rit-a rit-b')).stdout.split('\n').filter(Boolean)).toEqual(['active', 'active', 'enabled', 'enabled']);

    const again = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
    const a = results(again, host);
    // the units' facts came with the unit files' (read-ahead): one command for both tasks, after the lock
    expect([a.units!.status, a.units!.execs]).toEqual(['ok', 0]);
    expect(Object.values(a).reduce((n, r) => n + r.execs, 0)).toBe(2);
    expect(a['restart units']).toBeUndefined();

    // new unit files: the first item reloads systemd, the second sees it done; the handler restarts both on the new files
    const changed = await rosey(['site.yml', '-i', 'inventory', '--json', '-e', 'desc=v2'], dir);
    expect(changed.code, changed.stdout + changed.stderr).toBe(0);
    const c = results(changed, host);
    expect(c.units!.changes.map((x) => x.summary)).toEqual(['reload systemd (daemon-reload)']);
    expect(c.units!.items.map((i) => i.status)).toEqual(['changed', 'ok']);
    expect((await exec(host, 'systemctl show -p Description --value rit-a rit-b')).stdout.split('\n').filter(Boolean)).toEqual(['rit a v2', 'rit b v2']);
    expect((await exec(host, 'systemctl show -p NeedDaemonReload --value rit-a rit-b')).stdout.split('\n').filter(Boolean)).toEqual(['no', 'no']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, up, type TestbedHost } from '../../scripts/testbed/api.js';
import { recap, rosey, statuses, workspace } from './harness.js';

/**
 * Light hosts (sshd and a shell, no systemd: the benchmark's hosts at
 * scale) reached as a real user would reach them: over SSH as the non-root
 * `deploy` user, `become` via sudo. The other integration tests share this
 * slot's testbed, so the full hosts they expect are booted again afterwards.
 */
describe('light testbed hosts', () => {
  let light: TestbedHost[] = [];
  const log = (line: string) => console.error(line);

  beforeAll(async () => {
    light = await up(2, log, 'light');
  });

  afterAll(async () => {
    // as global-setup.ts boots them (up tears the light hosts down first)
    await up(3, log);
  });

  const inventory = (list: readonly TestbedHost[]) =>
    ['all:', '  hosts:', ...list.flatMap((h) => [
      `    ${h.name}:`,
      `      ansible_host: ${h.address}`,
      `      ansible_user: ${h.becomeUser}`,
      `      ansible_ssh_private_key_file: ${h.keyPath}`,
      `      rosey_known_hosts_file: ${h.knownHostsPath}`,
    ])].join('\n') + '\n';

  const playbook = `
- hosts: all
  become: true
  gather_facts: false
  tasks:
    - name: folder
      file: { path: /srv/light, state: directory, mode: "0750" }
    - name: conf
      copy: { content: "port=8080\\n", dest: /srv/light/app.conf, mode: "0640" }
    - name: line
      lineinfile: { path: /srv/light/env, line: "LIGHT=yes", create: true }
`;

  it('run sshd without systemd, and take a playbook with become over SSH, then report no change', async () => {
    expect(light.map((h) => h.name)).toHaveLength(2);
    for (const h of light) {
      // PID 1 is nspawn's stub init and nothing called systemd runs: not booted
      const ps = await exec(h.name, 'cat /proc/1/comm; for p in /proc/[0-9]*; do cat $p/comm; done 2>/dev/null | sort -u');
      expect(ps.rc).toBe(0);
      expect(ps.stdout.split('\n')[0]).not.toBe('systemd');
      expect(ps.stdout).toContain('sshd');
      expect(ps.stdout).not.toMatch(/^systemd/m);
    }
    const dir = workspace({ 'site.yml': playbook, 'inventory/hosts.yml': inventory(light) });
    const first = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(statuses(first, 'conf')).toEqual(Object.fromEntries(light.map((h) => [h.name, 'changed'])));
    for (const h of light) {
      const st = await exec(h.name, 'stat -c "%U %a" /srv/light/app.conf && cat /srv/light/app.conf /srv/light/env');
      expect(st.stdout).toBe('root 640\nport=8080\nLIGHT=yes\n');
    }
    const again = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
    expect(again.code).toBe(0);
    for (const h of light) expect(recap(again)[h.name]).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
  });
});

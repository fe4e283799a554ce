import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { rosey, testbedInventory, workspace } from './harness.js';

/** A failure says why; a task's values never show in the host's process list. */
describe('failures show their cause', () => {
  let host: string;
  beforeAll(async () => {
    host = hosts()[0]!.name;
    // a login user whose sudo asks for a password
    await exec(
      host,
      'id needpw >/dev/null 2>&1 || useradd -m -s /bin/sh needpw; install -d -o needpw -m 0700 /home/needpw/.ssh; ' +
        'install -o needpw -m 0600 /root/.ssh/authorized_keys /home/needpw/.ssh/authorized_keys; ' +
        "echo 'needpw ALL=(ALL) ALL' > /etc/sudoers.d/needpw; chmod 0440 /etc/sudoers.d/needpw",
    );
  });
  afterAll(async () => {
    await exec(host, 'rm -f /etc/sudoers.d/needpw; userdel -r needpw 2>/dev/null; true');
  });

  it('a failing command shows the end of its stderr', async () => {
    const dir = workspace({ 'site.yml': '- hosts: testbed\n  gather_facts: false\n  tasks:\n    - command: ls /nonexistent-rosey\n' });
    const r = await rosey(['site.yml', '-i', 'inventory', '-l', host], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/non-zero return code 2/);
    expect(r.stdout).toMatch(/No such file or directory/);
  });

  it('become where sudo wants a password says so, and what to do', async () => {
    const inventory = testbedInventory({ names: [host] }).replace('ansible_user: root', 'ansible_user: needpw');
    const dir = workspace({ 'inventory/hosts.yml': inventory, 'site.yml': '- hosts: testbed\n  gather_facts: false\n  become: true\n  tasks:\n    - command: id -u\n' });
    const r = await rosey(['site.yml', '-i', 'inventory'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/sudo needs a password to run as root/);
    expect(r.stdout).toMatch(/passwordless sudo/);
  });

  it('a no_log task\'s values never appear in the host\'s process list, with or without become', async () => {
    const secret = 'rosey-ps-secret-4711';
    const play = (become: boolean) => `- hosts: testbed\n  gather_facts: false\n  become: ${become}\n  tasks:\n    - shell: "sleep 4; test -n '${secret}'"\n      no_log: true\n`;
    const inventory = testbedInventory({ names: [host] }).replace('ansible_user: root', 'ansible_user: deploy');
    for (const become of [false, true]) {
      const dir = workspace({ 'inventory/hosts.yml': inventory, 'site.yml': play(become) });
      let done = false;
      const running = rosey(['site.yml', '-i', 'inventory'], dir).finally(() => (done = true));
      const seen: string[] = [];
      while (!done) {
        seen.push((await exec(host, 'ps -eo args')).stdout);
        await new Promise((r) => setTimeout(r, 100));
      }
      const r = await running;
      expect(r.code, r.stdout + r.stderr).toBe(0);
      // the task did run while we looked
      expect(seen.some((s) => s.includes('sleep 4'))).toBe(true);
      expect(seen.join('\n')).not.toContain(secret);
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { recap, rosey, snapshot, statuses, testbedInventory, workspace, type RunResult } from './harness.js';

const playbook = (host: string) => `
- name: a fresh host to a running service
  hosts: ${host}
  vars:
    greeting: "hello from {{ inventory_hostname }}"
  tasks:
    - name: app group
      group: { name: rosey-app, system: true }
    - name: app user
      user: { name: rosey-app, group: rosey-app, system: true, home: /srv/rosey-app, shell: /usr/sbin/nologin }
    - name: package
      apt: { name: hello, update_cache: true, cache_valid_time: 3600 }
    - name: unit file
      template: { src: rosey-app.service.hbs, dest: /etc/systemd/system/rosey-app.service, mode: "0644" }
      notify: restart app
    - name: service
      service: { name: rosey-app, state: started, enabled: true, daemon_reload: true }
  handlers:
    - name: restart app
      systemd: { name: rosey-app, state: restarted }
`;

const UNIT = `[Unit]
Description=Rosey test app on {{ inventory_hostname }}
[Service]
User=rosey-app
ExecStart=/bin/sh -c '/usr/bin/hello -g "{{ greeting }}" > /tmp/rosey-app.out; exec sleep infinity'
[Install]
WantedBy=multi-user.target
`;

const FRESH = `systemctl disable --now rosey-app 2>/dev/null; rm -f /etc/systemd/system/rosey-app.service; systemctl daemon-reload
userdel -r rosey-app 2>/dev/null; groupdel rosey-app 2>/dev/null
apt-get purge -y -q hello >/dev/null 2>&1; rm -f /var/lib/rosey/apt-update-stamp /tmp/rosey-app.out; rm -rf /var/lib/rosey/pending-handlers; true`;

/** Everything the playbook could touch, as one text: equal fingerprints mean nothing was written. */
async function fingerprint(host: string): Promise<string> {
  const files = await exec(host, 'sha256sum /etc/passwd /etc/group /etc/shadow /var/lib/dpkg/status; systemctl is-enabled rosey-app 2>&1; systemctl is-active rosey-app 2>&1; true');
  return files.stdout + (await snapshot(host, ['/etc/systemd/system', '/srv', '/var/lib/rosey', '/var/backups/rosey']));
}

/** task title -> status on the host, in order; the recap counts besides */
function outcome(r: RunResult, host: string): { tasks: [string, string][]; counts: Record<string, number> } {
  const tasks = r.events.filter((e) => e.event === 'host-result' && e.host === host).map((e) => [String(e.task), String(e.status)] as [string, string]);
  return { tasks, counts: recap(r)[host]! };
}

describe('a fresh host: group, user, package, templated service', () => {
  let dir: string;
  let host: string;
  beforeAll(async () => {
    host = hosts()[2]!.name;
    await exec(host, FRESH);
    dir = workspace({ 'site.yml': playbook(host), 'templates/rosey-app.service.hbs': UNIT, 'inventory/hosts.yml': testbedInventory({ names: [host] }) });
  });

  it('--check predicts exactly the changes the apply makes, and writes nothing', async () => {
    const before = await fingerprint(host);
    const check = await rosey(['site.yml', '-i', 'inventory', '--check', '--json'], dir);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(await fingerprint(host)).toBe(before);
    // a service whose unit and package earlier tasks would install is "would start", not a failure
    expect(statuses(check, 'service')).toEqual({ [host]: 'changed' });

    const apply = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(outcome(check, host)).toEqual(outcome(apply, host));
    expect(outcome(apply, host).counts.changed).toBe(6); // 5 tasks + the handler
  });

  it('the service runs as the user, enabled, with the templated greeting', async () => {
    const r = await exec(host, 'systemctl is-active rosey-app; systemctl is-enabled rosey-app; ps -o user= -C sleep | sort -u; cat /tmp/rosey-app.out; id -gn rosey-app');
    expect(r.stdout).toBe(`active\nenabled\nrosey-app\nhello from ${host}\nrosey-app\n`);
  });

  it('the second run is all ok', async () => {
    const again = await rosey(['site.yml', '-i', 'inventory', '--json'], dir);
    expect(again.code).toBe(0);
    const { tasks, counts } = outcome(again, host);
    expect(tasks.filter(([, s]) => s !== 'ok')).toEqual([]);
    expect(counts.changed).toBe(0);
  });
});

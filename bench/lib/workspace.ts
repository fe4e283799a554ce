import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestbedHost } from '../../scripts/testbed/api.js';

/**
 * One inventory both tools read (Rosey reads Ansible's YAML inventory): the
 * testbed hosts, reached as the non-root `deploy` user, become via sudo,
 * host keys verified against the testbed's known_hosts.
 */
export function inventoryYaml(hosts: readonly TestbedHost[]): string {
  const lines = ['all:', '  children:', '    bench:', '      hosts:'];
  for (const h of hosts) {
    lines.push(
      `        ${h.name}:`,
      `          ansible_host: ${h.address}`,
      `          ansible_user: ${h.becomeUser}`,
      `          ansible_ssh_private_key_file: ${h.keyPath}`,
      `          ansible_python_interpreter: /usr/bin/python3`,
      `          rosey_known_hosts_file: ${h.knownHostsPath}`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Ansible's best settings for this workload: pipelining (no temp files on
 * the host), a persistent ssh master per host (ControlPersist), forks equal
 * to Rosey's, no interpreter discovery, no retry files.
 */
export function ansibleCfg(dir: string, forks: number, knownHosts: string): string {
  return [
    '[defaults]',
    `inventory = ${join(dir, 'hosts.yml')}`,
    `forks = ${forks}`,
    'host_key_checking = True',
    'retry_files_enabled = False',
    'interpreter_python = /usr/bin/python3',
    // the ssh connect timeout (default 10 s): 50 hosts connecting at once on
    // a loaded 2-core machine took longer, and hosts dropped out UNREACHABLE
    'timeout = 60',
    `local_tmp = ${join(dir, 'ansible-tmp')}`,
    '',
    '[ssh_connection]',
    'pipelining = True',
    `ssh_args = -o ControlMaster=auto -o ControlPersist=120s -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes`,
    `control_path_dir = ${join(dir, 'cp')}`,
    'control_path = %(directory)s/%%h',
    '',
  ].join('\n');
}

export function writeWorkspace(dir: string, hosts: readonly TestbedHost[], forks: number): void {
  mkdirSync(join(dir, 'cp'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'hosts.yml'), inventoryYaml(hosts));
  writeFileSync(join(dir, 'ansible.cfg'), ansibleCfg(dir, forks, hosts[0]!.knownHostsPath));
}

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'), 'bin', 'rosey-apply.cjs');

// Hosts on a reserved, unrouted address: the listing modes must never try them.
const files: Record<string, string> = {
  'inventory/hosts.yml': 'all:\n  vars:\n    ansible_host: 192.0.2.1\n  children:\n    web:\n      hosts: { web1: {}, web2: {}, web3: {} }\n    db:\n      hosts: { db1: {} }\n',
  'site.yml':
    '- name: web tier\n  hosts: web:!web3\n  tasks:\n    - name: config\n      copy: { dest: /etc/x, content: y }\n      tags: [config]\n    - block:\n        - name: inside a block\n          command: "true"\n- name: databases\n  hosts: db\n  roles: [base]\n',
  'roles/base/tasks/main.yml': '- name: base package list\n  debug: { msg: hi }\n',
};

function run(args: string[]): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-list-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  const r = spawnSync(process.execPath, [BIN, 'site.yml', '-i', 'inventory', ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('listing modes read everything and contact nothing', () => {
  it('--list-hosts shows each play\'s hosts after patterns and --limit', () => {
    const r = run(['--list-hosts', '--limit', 'web1:db1']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/play: web tier\n {2}hosts \(1\):\n {4}web1\n/);
    expect(r.out).toMatch(/play: databases\n {2}hosts \(1\):\n {4}db1\n/);
  });

  it('--list-tasks shows tasks in run order, role tasks named with their role, with tags', () => {
    const r = run(['--list-tasks']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/config\tTAGS: \[config\]\n {4}inside a block\n/);
    expect(r.out).toContain('base : base package list');
  });

  it('--syntax-check names the playbook and exits 0', () => {
    const r = run(['--syntax-check']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^playbook: .*site\.yml$/m);
  });
});

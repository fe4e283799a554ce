import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptRosey } from '../../../src/vault/rosey.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'rosey-apply.cjs');

// Written by a preload at exit: the files Node's require loaded (the bundle's
// externals: ssh2's native binding, cpu-features, ajv) and the built-in
// modules Node loaded, which the bundle's own modules cannot hide.
const PRELOAD = `process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.LOADS_OUT, JSON.stringify({
    files: Object.keys(require.cache),
    builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
  }));
});
`;

interface Loads {
  code: number | null;
  out: string;
  files: string[];
  builtins: string[];
}

/** Runs the installed CLI (bin -> bundle -> code cache) with stdout and stderr to a file, as a CI log would be (a pipe would load net). */
function runCli(dir: string, args: string[], env: Record<string, string> = {}): Loads {
  writeFileSync(join(dir, 'preload.cjs'), PRELOAD);
  const log = join(dir, 'out.log');
  const fd = openSync(log, 'w');
  const loads = join(dir, 'loads.json');
  try {
    const r = spawnSync(process.execPath, ['-r', join(dir, 'preload.cjs'), BIN, ...args], {
      cwd: dir,
      stdio: ['ignore', fd, fd],
      timeout: 60_000,
      env: { ...process.env, CI: 'true', ROSEY_JOURNAL_DIR: join(dir, '.journal'), LOADS_OUT: loads, ...env },
    });
    const { files, builtins } = JSON.parse(readFileSync(loads, 'utf8')) as { files: string[]; builtins: string[] };
    return { code: r.status, out: readFileSync(log, 'utf8'), files, builtins };
  } finally {
    closeSync(fd);
  }
}

function project(playbook: string, inventory: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-loads-'));
  writeFileSync(join(dir, 'site.yml'), playbook);
  writeFileSync(join(dir, 'hosts.yml'), inventory);
  return dir;
}

// an SSH host that is never contacted (TEST-NET-1)
const SSH_INVENTORY = 'all:\n  hosts:\n    web1: {ansible_host: 192.0.2.10}\n';
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: write the motd
      copy: {content: "hello\\n", dest: /tmp/rosey-never-written}
    - command: "true"
`;

const SSH_CODE = /sshcrypto\.node|cpu-features/;
// what only a run that contacts hosts, or a subcommand that needs it, should load
const RUN_BUILTINS = ['net', 'tls', 'dgram', 'child_process', 'crypto', 'http', 'https', 'zlib', 'readline'];

describe('what a check or listing loads (bin/rosey-apply.cjs)', () => {
  it.each([
    ['--syntax-check', ['--syntax-check'], 'playbook: '],
    ['--list-hosts', ['--list-hosts'], 'web1'],
    ['--list-tasks', ['--list-tasks'], 'write the motd'],
  ])('%s: no ssh2, no network, process or crypto modules', (_, flags, expected) => {
    const dir = project(PLAYBOOK, SSH_INVENTORY);
    const r = runCli(dir, ['site.yml', '-i', 'hosts.yml', ...flags]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(expected);
    expect(r.files.filter((f) => SSH_CODE.test(f))).toEqual([]);
    expect(r.builtins.filter((b) => RUN_BUILTINS.includes(b))).toEqual([]);
  });

  it('a playbook error: exit 1 naming file:line, and nothing of the run loaded', () => {
    const dir = project(PLAYBOOK.replace('command: "true"', 'comand: "true"'), SSH_INVENTORY);
    const r = runCli(dir, ['site.yml', '-i', 'hosts.yml']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/site\.yml:6:\d+: .*comand/);
    expect(r.files.filter((f) => SSH_CODE.test(f))).toEqual([]);
    expect(r.builtins.filter((b) => RUN_BUILTINS.includes(b))).toEqual([]);
  });

  it('the control: a command that reaches for its SSH host does load ssh2 (so the checks above can fail)', () => {
    // `runs` reads the hosts' run records; a closed port on this machine refuses at once: exit 4 (unreachable)
    const dir = project(PLAYBOOK, 'all:\n  hosts:\n    web1: {ansible_host: 127.0.0.1, ansible_port: 1}\n');
    const r = runCli(dir, ['runs', '-i', 'hosts.yml']);
    expect(r.code, r.out).toBe(4);
    expect(r.out).toContain('connection refused');
    expect(r.files.filter((f) => SSH_CODE.test(f)).length).toBeGreaterThan(0);
    expect(r.builtins).toContain('net');
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('a listing printed straight to fd 1 (src/cli/print.ts)', () => {
  // 6000 hosts: ~0.2 MB of listing, more than a pipe holds
  const inventory = `all:\n  hosts:\n${Array.from({ length: 6000 }, (_, i) => `    host-${i}: {ansible_host: 192.0.2.1}\n`).join('')}`;

  it('arrives whole through a pipe read slowly', () => {
    const dir = project(PLAYBOOK, inventory);
    const r = spawnSync('bash', ['-c', `set -o pipefail; ${process.execPath} ${BIN} site.yml -i hosts.yml --list-hosts | (sleep 1; wc -l)`], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: 'true' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('6003');
  });

  it('a reader that goes away (`| head -2`) ends it quietly, exit 0', () => {
    const dir = project(PLAYBOOK, inventory);
    const r = spawnSync('bash', ['-c', `set -o pipefail; ${process.execPath} ${BIN} site.yml -i hosts.yml --list-hosts | head -2`], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: 'true' } });
    expect(r.stderr).not.toContain('INTERNAL ERROR');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('\nplay: all\n');
  });
});

describe('the built-ins and libraries the bundle gets at first use work as the real ones', () => {
  it.skipIf(!hasScript)('on a terminal (util-linux script): the TTY view, from its own bundle, shows the run to its recap', () => {
    const dir = project('- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n', 'all:\n  vars: {ansible_connection: local}\n  hosts:\n    here: {}\n');
    const cmd = `${process.execPath} ${BIN} site.yml -i hosts.yml`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: '', ROSEY_JOURNAL_DIR: join(dir, '.journal') } });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(0);
    expect(out).not.toContain('INTERNAL ERROR');
    expect(out).toMatch(/here : ok=1 +changed=1/);
  });

  it('a local run: commands (child_process), a copy and a vault value (crypto) through the bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-loads-'));
    const password = 'correct horse';
    writeFileSync(join(dir, 'vault-pass'), password);
    const secret = encryptRosey(Buffer.from('s3cret'), Buffer.from(password), { N: 1024, r: 8, p: 1 })
      .trimEnd()
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n');
    writeFileSync(join(dir, 'hosts.yml'), `all:\n  vars:\n    ansible_connection: local\n    token: !vault |\n${secret}\n  hosts:\n    here: {}\n`);
    writeFileSync(
      join(dir, 'site.yml'),
      `- hosts: all
  gather_facts: false
  tasks:
    - file: {path: "${dir}/out", state: directory}
    - copy: {content: "token={{ token }}\\n", dest: "${dir}/out/app.conf"}
    - command: {cmd: "sh -c 'echo ran > ${dir}/out/ran'", creates: "${dir}/out/ran"}
`,
    );
    const r = runCli(dir, ['site.yml', '-i', 'hosts.yml', '--vault-password-file', join(dir, 'vault-pass')]);
    expect(r.code, r.out).toBe(0);
    expect(readFileSync(join(dir, 'out', 'app.conf'), 'utf8')).toBe('token=s3cret\n');
    expect(readFileSync(join(dir, 'out', 'ran'), 'utf8')).toBe('ran\n');
    expect(r.out).not.toContain('s3cret');
    expect(r.builtins).toEqual(expect.arrayContaining(['crypto', 'child_process']));
    // the same again: nothing to change (the copy's checksum and `creates` read back right)
    const again = runCli(dir, ['site.yml', '-i', 'hosts.yml', '--vault-password-file', join(dir, 'vault-pass')]);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/changed=0/);
  });
});

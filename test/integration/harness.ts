import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hosts } from './testbed.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'rosey-apply.cjs');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** --json event lines, parsed */
  events: Record<string, unknown>[];
}

/** Run the built rosey-apply as a user would, in `cwd`. */
export function rosey(args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, CI: 'true', ROSEY_JOURNAL_DIR: join(cwd, '.journal'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', rej);
    child.on('close', (code) => {
      const events = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      res({ code: code ?? -1, stdout, stderr, events });
    });
  });
}

/** Results of one task by host, from --json events. */
export function statuses(r: RunResult, task: string): Record<string, string> {
  return Object.fromEntries(r.events.filter((e) => e.event === 'host-result' && e.task === task).map((e) => [String(e.host), String(e.status)]));
}

export function recap(r: RunResult): Record<string, Record<string, number>> {
  const e = r.events.find((x) => x.event === 'recap') as { hosts: { host: string; counts: Record<string, number> }[] } | undefined;
  return Object.fromEntries((e?.hosts ?? []).map((h) => [h.host, h.counts]));
}

/** An inventory for the running testbed, in the Ansible YAML format, host keys verified. */
export function testbedInventory(opts: { names?: string[]; extraVars?: Record<string, unknown> } = {}): string {
  const list = hosts().filter((h) => !opts.names || opts.names.includes(h.name));
  const lines = ['all:', '  vars:', ...Object.entries(opts.extraVars ?? {}).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`), '  children:', '    testbed:', '      hosts:'];
  for (const h of list) {
    lines.push(
      `        ${h.name}:`,
      `          ansible_host: ${h.address}`,
      `          ansible_user: ${h.user}`,
      `          ansible_ssh_private_key_file: ${h.keyPath}`,
      `          rosey_known_hosts_file: ${h.knownHostsPath}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** A throwaway project folder: files by relative path, plus inventory/hosts.yml for the testbed unless given. */
export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-it-'));
  const all = { 'inventory/hosts.yml': testbedInventory(), ...files };
  for (const [rel, text] of Object.entries(all)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

/** Paths, types, modes, owners, link targets and sha256 of a tree on a host: equal listings mean byte-identical trees. */
export async function snapshot(host: string, dirs: string[]): Promise<string> {
  const { exec } = await import('./testbed.js');
  const q = dirs.map((d) => `'${d}'`).join(' ');
  const r = await exec(host, `for d in ${q}; do [ -e "$d" ] || continue; find "$d" -printf '%p %y %m %u %g %l\\n'; find "$d" -type f -exec sha256sum {} +; done | sort`);
  return r.stdout;
}

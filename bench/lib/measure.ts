import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  /** wall clock, seconds */
  wallS: number;
  /** user + system CPU of the process and every child it waited for, seconds */
  cpuS: number;
  /** peak resident set of the largest single process in the tree, MiB (getrusage semantics) */
  peakRssMiB: number;
}

/**
 * Runs a command under GNU time, which reports the children's rusage
 * (getrusage(RUSAGE_CHILDREN)): CPU summed over the tree, peak RSS of its
 * largest process. A daemon the command leaves behind (Ansible's ssh
 * ControlPersist master) is not waited for, so its CPU is not counted.
 */
export function measure(file: string, args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-bench-time-'));
  const out = join(dir, 'time');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', out, file, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      const line = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
      rmSync(dir, { recursive: true, force: true });
      const [user = 0, sys = 0, rssKb = 0] = line.split(/\s+/).map(Number);
      resolve({ code: code ?? -1, stdout, stderr, wallS, cpuS: user + sys, peakRssMiB: rssKb / 1024 });
    });
  });
}

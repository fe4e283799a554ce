import { execFile, spawn } from 'node:child_process';

export interface RunResult {
  rc: number;
  stdout: string;
  stderr: string;
}

/** Run a program (no shell) and collect its output; never throws on a non-zero exit. */
export function tryRun(file: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 0, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? 1 : 0;
        resolve({ rc: code, stdout, stderr: stderr || (err && code !== 0 && !stderr ? String(err.message) : '') });
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input ?? '');
  });
}

/** Run a program and throw with its stderr when it fails. */
export async function run(file: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await tryRun(file, args, opts);
  if (r.rc !== 0) throw new Error(`${file} ${args.join(' ')} failed (rc ${r.rc}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Run a long step with its output shown (image builds). */
export function runLoud(file: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${file} failed (rc ${code})`))));
  });
}

/**
 * The deployed stack as the end-to-end test (stack-e2e.test.ts) sees it: a
 * project copy whose inventory/local addresses this testbed slot, runs of
 * rosey-apply that time each output line, and probes of the bots,
 * Prometheus and the dashboard over HTTP.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLocalInventory } from '../../scripts/testbed/local-inventory.js';
import { ROOT, type RunResult } from './harness.js';

export const VAULT_PASSWORD_FILE = join(ROOT, 'inventory/local/vault-password.example');

/** The dashboard's write token, from the local inventory's vault. */
export function dashboardToken(): string {
  const text = execFileSync(process.execPath, [join(ROOT, 'bin/rosey-vault.js'), 'view', join(ROOT, 'inventory/local/group_vars/all/vault.yml'), '--vault-password-file', VAULT_PASSWORD_FILE], { encoding: 'utf8' });
  const token = /^vault_dashboard_token: *(\S+)/m.exec(text)?.[1];
  if (!token) throw new Error('no vault_dashboard_token in inventory/local vault.yml');
  return token;
}

/**
 * A copy of playbooks/ and roles/ (so a test can change a template without
 * touching the checkout), the built bot and dashboard linked in where the
 * roles look for them, and inventory/local for the active testbed slot.
 */
export function stackProject(): { dir: string; inventory: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-e2e-'));
  for (const sub of ['playbooks', 'roles']) cpSync(join(ROOT, sub), join(dir, sub), { recursive: true });
  symlinkSync(join(ROOT, 'bot'), join(dir, 'bot'));
  symlinkSync(join(ROOT, 'dist-dashboard'), join(dir, 'dist-dashboard'));
  return { dir, inventory: writeLocalInventory(join(dir, 'inventory', 'local')) };
}

export interface TimedRun extends RunResult {
  /** ms since the start of the run at which each --json event arrived */
  at: number[];
  ms: number;
}

/** rosey-apply --json in `cwd`, each event stamped with when it arrived (the engine's events carry no time). */
export function timedRosey(args: string[], cwd: string, env: Record<string, string>): Promise<TimedRun> {
  return new Promise((res, rej) => {
    const start = Date.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin/rosey-apply.cjs'), ...args, '--json'], {
      cwd,
      env: { ...process.env, CI: 'true', ROSEY_JOURNAL_DIR: join(cwd, '.journal'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: TimedRun = { code: -1, stdout: '', stderr: '', events: [], at: [], ms: 0 };
    let partial = '';
    child.stdout.on('data', (b: Buffer) => {
      out.stdout += b.toString();
      const lines = (partial + b.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines.filter((x) => x.startsWith('{'))) {
        out.events.push(JSON.parse(l) as Record<string, unknown>);
        out.at.push(Date.now() - start);
      }
    });
    child.stderr.on('data', (b: Buffer) => (out.stderr += b.toString()));
    child.on('error', rej);
    child.on('close', (code) => res({ ...out, code: code ?? -1, ms: Date.now() - start }));
  });
}

/** When (ms into the run) the n-th result of `task` on `host` arrived, with its status. */
export function resultAt(r: TimedRun, host: string, task: string, nth = 0): { ms: number; status: string } | undefined {
  const hits = r.events.flatMap((e, i) => (e.event === 'host-result' && e.host === host && e.task === task ? [{ ms: r.at[i]!, status: String(e.status) }] : []));
  return hits[nth];
}

/** Poll `probe` every 500 ms until it returns a value; give up after `seconds`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, seconds = 60): Promise<T> {
  const end = Date.now() + seconds * 1000;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`gave up after ${seconds} s waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return (await r.json()) as T;
}

interface PromVector {
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** An instant query: value by the series' `host` label. */
export async function promQuery(prometheus: string, query: string): Promise<Record<string, string>> {
  const r = await getJson<PromVector>(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  return Object.fromEntries(r.data.result.map((s) => [s.metric.host ?? '', s.value[1]]));
}

export interface DashboardAlert {
  status: string;
  alertname: string;
  labels: Record<string, string>;
}

import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';
import { applyContext } from '../../../src/runner/apply-context.js';
import { readFact } from '../../../src/facts/run.js';
import { backupPathFor } from '../../../src/transport/files.js';
import type { AnyHostModule, ApplyOutput, ApplyReport, Change, PrepareContext } from '../../../src/modules/types.js';

export const FIXTURES = resolve(import.meta.dirname, 'fixtures');
export const conn = new LocalConnection(localSpec());
export const isRoot = process.getuid?.() === 0;

/** A PrepareContext over the fixtures folder: files/ and templates/, Handlebars strict. */
export function prepareCtx(vars: Record<string, unknown> = {}): PrepareContext {
  return {
    resolveSource: (src, kind) => resolve(FIXTURES, kind, src),
    render: (text) => Handlebars.compile(text, { strict: true, noEscape: true })(vars),
  };
}

/** The runner's flow for one task on this machine: prepare, one fact command, plan. */
export async function planTask(mod: AnyHostModule, args: unknown, vars?: Record<string, unknown>): Promise<{ prepared: unknown; facts: unknown; changes: Change[] }> {
  const prepared: unknown = mod.prepare ? await mod.prepare(args, prepareCtx(vars)) : args;
  const fact = mod.facts(prepared);
  const facts: unknown = fact ? await readFact(fact, (cmd) => conn.exec(cmd)) : undefined;
  return { prepared, facts, changes: mod.plan(facts, prepared) };
}

/** Apply the changes; `reported` receives what the host said it did (backups, creations). */
export async function applyAll(mod: AnyHostModule, changes: Change[], runId: string, reported?: ApplyReport): Promise<ApplyOutput[]> {
  const { ctx, report } = applyContext(conn, runId, undefined);
  const outs: ApplyOutput[] = [];
  try {
    for (const c of changes) outs.push((await mod.apply(c, ctx)) ?? {});
  } finally {
    if (reported) Object.assign(reported, report);
  }
  return outs;
}

export function newRunId(): string {
  return `test-${Date.now()}-${randomBytes(3).toString('hex')}`;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rosey mod $\'q'));
}

export async function cleanup(dir: string, runId?: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  if (runId) await rm(backupPathFor(runId, '/'), { recursive: true, force: true });
}

/** Every path under `dir` with type, mode, owner and sha256 (or link target): what "unchanged" means. */
export async function listing(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    const abs = join(dir, rel);
    const st = await lstat(abs);
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    let what = 'other';
    if (st.isSymbolicLink()) what = `link→${await readlink(abs)}`;
    else if (st.isFile()) what = `file ${createHash('sha256').update(await readFile(abs)).digest('hex')}`;
    else if (st.isDirectory()) what = 'dir';
    out.push(`${rel || '.'} ${what} ${mode} ${st.uid}:${st.gid}`);
    if (st.isDirectory()) for (const e of (await readdir(abs)).sort()) await walk(rel ? join(rel, e) : e);
  }
  await walk('');
  return out;
}

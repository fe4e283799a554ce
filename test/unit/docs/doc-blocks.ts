import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The shell commands the docs show, so a test can run them. A fenced block
 * is run when its info string says where:
 *
 *     ```sh test           runs here, from the repository root (no host needed)
 *     ```sh testbed        runs against the testbed (integration project), from a
 *                          copy of the repository whose inventory/local is the testbed
 *     ```sh test exit=1    the exit code the docs promise (default 0)
 *
 * Any other ```sh / ```bash / ```console block is shown, not run (it needs
 * production hosts, GitHub, a terminal...): the tests count those.
 */
export const ROOT = resolve(import.meta.dirname, '..', '..', '..');

export interface DocBlock {
  file: string;
  line: number;
  where: 'test' | 'testbed' | 'shown';
  exit: number;
  script: string;
}

const SHELL = new Set(['sh', 'bash', 'shell', 'console']);

export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', ...docs.sort()];
}

export function blocksOf(file: string, text: string): DocBlock[] {
  const out: DocBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S+)(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.startsWith('```'); j++) body.push(lines[j]!);
    if (SHELL.has(open[1]!)) {
      const words = open[2]!.trim().split(/\s+/);
      const where = words.includes('testbed') ? 'testbed' : words.includes('test') ? 'test' : 'shown';
      const exit = Number(/^exit=(\d+)$/.exec(words.find((w) => w.startsWith('exit=')) ?? '')?.[1] ?? 0);
      out.push({ file, line: i + 1, where, exit, script: body.join('\n') + '\n' });
    }
    i = j;
  }
  return out;
}

export function allBlocks(): DocBlock[] {
  return docFiles().flatMap((f) => blocksOf(f, readFileSync(join(ROOT, f), 'utf8')));
}

/** A folder of commands named as the docs name them (package.json's `bin`: rosey-apply, rosey-vault...), running this checkout's build. */
export function shimDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-doc-bin-'));
  const bins = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
  for (const [name, file] of Object.entries(bins)) {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, file)}" "$@"\n`);
    chmodSync(path, 0o755);
  }
  return dir;
}

export interface BlockRun {
  code: number | null;
  output: string;
}

/** Run one block with bash -e (the first failing command ends it with its code), in `cwd`. */
export function runBlock(block: DocBlock, cwd: string, bin: string, env: Record<string, string> = {}): BlockRun {
  const home = mkdtempSync(join(tmpdir(), 'rosey-doc-home-'));
  mkdirSync(join(home, '.ssh'), { recursive: true });
  const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', block.script], {
    cwd,
    encoding: 'utf8',
    timeout: 170_000,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: home, CI: 'true', ROSEY_JOURNAL_DIR: join(home, 'runs'), ...env },
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

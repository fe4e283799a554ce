import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tool that says it was run and fails: a command that must never run it still succeeds. */
export const failing = (tool: string): string => `#!/bin/sh\necho "${tool} was run" >&2\nexit 1\n`;

/**
 * Runs `fn` with these scripts (name to text) first on PATH, as the local
 * host's commands find them; PATH comes back and the scripts go whatever
 * `fn` does. `fn` gets their folder and the PATH from before.
 */
export async function withPathSpies<T>(scripts: Record<string, string | ((dir: string, path: string) => string)>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-path-spy-'));
  const path = process.env.PATH ?? '';
  for (const [tool, text] of Object.entries(scripts)) {
    writeFileSync(join(dir, tool), typeof text === 'string' ? text : text(dir, path));
    chmodSync(join(dir, tool), 0o755);
  }
  process.env.PATH = `${dir}:${path}`;
  try {
    return await fn(dir);
  } finally {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  }
}

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** A private copy of the launcher and the bundle (and the named vendor bundles), laid out as in the checkout (bin/, dist/cli/, node_modules). */
export function install(vendors: string[] = []): { dir: string; bin: string; bundle: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-cache-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'rosey-apply.cjs'), join(dir, 'bin', 'rosey-apply.cjs'));
  copyFileSync(join(ROOT, 'dist', 'cli', 'rosey-apply.cjs'), join(dir, 'dist', 'cli', 'rosey-apply.cjs'));
  for (const v of vendors) copyFileSync(join(ROOT, 'dist', 'cli', v), join(dir, 'dist', 'cli', v));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const bundle = join(dir, 'dist', 'cli', 'rosey-apply.cjs');
  return { dir, bin: join(dir, 'bin', 'rosey-apply.cjs'), bundle, cache: `${bundle}.v8cache` };
}

/** A code cache's first line: its key, and ` warm-up` when a run may replace it. */
export const header = (cache: string): string => readFileSync(cache).subarray(0, 200).toString('latin1').split('\n')[0]!;

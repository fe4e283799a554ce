import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** sha256 over files, each named by its path relative to `base` (a renamed group_vars file is another inventory). */
function digest(files: string[], base: string): string {
  const h = createHash('sha256');
  for (const f of [...files].sort()) h.update(`${relative(base, f)}\0`).update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

export function playbookDigest(path: string): string {
  return digest([path], dirname(path));
}

/** An inventory directory: every file in it; a hosts file: it and the group_vars/host_vars beside it (what loadInventory reads). */
export function inventoryDigest(path: string): string {
  if (statSync(path).isDirectory()) return digest(filesUnder(path), path);
  const dir = dirname(path);
  return digest([path, ...filesUnder(join(dir, 'group_vars')), ...filesUnder(join(dir, 'host_vars'))], dir);
}

/** The git checkout rosey-apply runs in: commit, tree (what the content is) and whether files differ from it. */
export async function gitIdentity(cwd = process.cwd()): Promise<{ commit: string; tree: string; dirty: boolean } | undefined> {
  try {
    // promisified here, not at load: that would load child_process at every start
    const run = promisify(execFile);
    const git = async (...args: string[]): Promise<string> => (await run('git', args, { cwd })).stdout.trim();
    const [commit, tree, status] = await Promise.all([git('rev-parse', 'HEAD'), git('rev-parse', 'HEAD^{tree}'), git('status', '--porcelain', '--untracked-files=no')]);
    return { commit, tree, dirty: status !== '' };
  } catch {
    // not a git checkout, or no git: the plan says nothing about it
    return undefined;
  }
}

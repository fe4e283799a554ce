import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { combineFacts } from '../../facts/combine.js';
import { fileState, type FileState } from '../../facts/file-state.js';
import type { Fact } from '../../facts/types.js';
import { sh } from '../../transport/quote.js';
import { ModuleFailure, type ApplyContext, type Change } from '../types.js';
import type { WantedAttrs } from './attrs.js';
import { runOrFail } from './attrs.js';
import { applyFile, planFile, wantedFile, wantedFileFact, type FileData, type WantedFile } from './content.js';

/** copy with a folder as src: the folders to make and the files to install, in order. */
export interface WantedTree {
  dirs: string[];
  files: WantedFile[];
}

export type TreeData = FileData | { kind: 'mkdir' };

/**
 * The remote paths for a local folder, as Ansible's copy does: `src: app`
 * makes `dest/app/...`, `src: app/` copies what is inside app into dest.
 * Links are followed; special files refused.
 */
export async function wantedTree(local: string, src: string, dest: string, opts: { attrs: WantedAttrs; force: boolean }): Promise<WantedTree> {
  const top = src.endsWith('/') ? dest.replace(/\/+$/, '') || '/' : posix.join(dest, posix.basename(src.replace(/\/+$/, '')));
  const tree: WantedTree = { dirs: [top], files: [] };
  const walk = async (abs: string, remote: string): Promise<void> => {
    for (const name of (await readdir(abs)).sort()) {
      const st = await stat(join(abs, name));
      const r = posix.join(remote, name);
      if (st.isDirectory()) {
        tree.dirs.push(r);
        await walk(join(abs, name), r);
      } else if (st.isFile()) tree.files.push(wantedFile(r, await readFile(join(abs, name)), { attrs: opts.attrs, force: opts.force }));
      else throw new ModuleFailure(`copy: ${join(abs, name)} is neither a file nor a folder`);
    }
  };
  await walk(local, top);
  return tree;
}

export interface TreeFacts {
  dirs: FileState[];
  files: FileState[];
}

/** Every folder and file of the tree in one command. */
export function treeFact(t: WantedTree): Fact<TreeFacts> {
  const parts: Record<string, Fact<FileState>> = {};
  t.dirs.forEach((d, i) => (parts[`d${i}`] = fileState(d)));
  t.files.forEach((f, i) => (parts[`f${i}`] = wantedFileFact(f)));
  const all = combineFacts(parts);
  return {
    command: all.command,
    parse(stdout) {
      const got = all.parse(stdout) as Record<string, FileState>;
      return { dirs: t.dirs.map((_, i) => got[`d${i}`]!), files: t.files.map((_, i) => got[`f${i}`]!) };
    },
  };
}

export function planTree(f: TreeFacts, t: WantedTree): Change<TreeData>[] {
  const out: Change<TreeData>[] = [];
  t.dirs.forEach((d, i) => {
    const s = f.dirs[i]!;
    if (s.exists && s.type !== 'directory') throw new ModuleFailure(`copy: ${d} exists and is a ${s.type}, not a folder`);
    if (!s.exists) out.push({ action: 'create', summary: `create directory ${d}`, path: d, attrs: { type: [undefined, 'directory'] }, data: { kind: 'mkdir' } });
  });
  t.files.forEach((w, i) => out.push(...planFile(f.files[i]!, w)));
  return out;
}

export async function applyTree(c: Change<TreeData>, ctx: ApplyContext): Promise<void> {
  const path = c.path!;
  if (c.data.kind === 'mkdir') await runOrFail(ctx, sh`if [ ! -d ${path} ]; then mkdir -- ${path} && ${ctx.created(path, 'directory')}; fi`, `could not ${c.summary}`);
  else await applyFile(c as Change<FileData>, ctx);
}

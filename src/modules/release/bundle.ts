import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ModuleFailure } from '../types.js';

/** What travels to the host in one stream, and how the host unpacks it. */
export interface Bundle {
  bytes: Uint8Array;
  /** tar's decompression flag for this stream ('' for plain tar) */
  tarFlag: '' | 'z' | 'J' | 'j';
  /** a content hash: the same tree (or archive) always has the same one */
  digest: string;
}

/** sha256 over every path, type, mode and content of a folder: independent of mtimes and the walk's order. */
async function treeDigest(root: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const entries = (await readdir(join(root, rel))).sort();
    for (const name of entries) {
      const path = rel ? `${rel}/${name}` : name;
      const abs = join(root, path);
      const st = await lstat(abs);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) h.update(`L ${path} ${await readlink(abs)}\0`);
      else if (st.isDirectory()) {
        h.update(`D ${path} ${mode}\0`);
        await walk(path);
      } else if (st.isFile()) h.update(`F ${path} ${mode} ${createHash('sha256').update(await readFile(abs)).digest('hex')}\0`);
    }
  };
  await walk('');
  return h.digest('hex');
}

const ARCHIVES: [RegExp, Bundle['tarFlag']][] = [
  [/\.(tar\.gz|tgz)$/, 'z'],
  [/\.(tar\.xz|txz)$/, 'J'],
  [/\.(tar\.bz2|tbz2)$/, 'j'],
  [/\.tar$/, ''],
];

/**
 * A local folder as one tar stream (the controller's GNU tar, names sorted,
 * owners dropped), or a local archive as it is.
 */
export async function bundle(local: string): Promise<Bundle> {
  const st = await lstat(local);
  if (st.isDirectory()) {
    const run = promisify(execFile);
    try {
      const { stdout } = await run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-C', local, '-cf', '-', '.'], { encoding: 'buffer', maxBuffer: 2 ** 31 });
      return { bytes: stdout, tarFlag: '', digest: await treeDigest(local) };
    } catch (err) {
      throw new ModuleFailure(`release: could not pack ${local} with tar: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const kind = ARCHIVES.find(([re]) => re.test(local));
  if (!kind) throw new ModuleFailure(`release: ${local} is neither a folder nor a .tar, .tar.gz, .tgz, .tar.xz or .tar.bz2 archive`);
  const bytes = await readFile(local);
  return { bytes, tarFlag: kind[1], digest: createHash('sha256').update(bytes).digest('hex') };
}

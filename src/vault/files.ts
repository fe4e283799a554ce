import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { userError } from '../errors/diagnostic.js';

/** Read a file for rosey-vault; a missing file is a UserError naming it. */
export function readText(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    throw userError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

/**
 * Replace `file` atomically (temp file beside it, then rename): an editor
 * crash or a full disk never leaves half a vault. An existing file keeps
 * its mode; a new one is 0600, as the plaintext it may once have been.
 */
export function writeText(file: string, text: string): void {
  if (file === '-') {
    process.stdout.write(text);
    return;
  }
  let mode = 0o600;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // new file
  }
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { mode, flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    throw userError(`cannot write ${file}: ${(err as Error).message}`);
  }
}

import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';

/**
 * Where the vault password comes from: a file (--vault-password-file or
 * ROSEY_VAULT_PASSWORD_FILE; an executable file is run and its output is
 * the password, as in Ansible), else a prompt on the terminal. Reading is
 * synchronous on purpose: the YAML loader asks for it in the middle of a
 * (synchronous) parse, and only when it meets a vault.
 */
export class PasswordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PasswordError';
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The password in `file`, surrounding whitespace stripped (as Ansible does, so the same file works for both). */
export function readPasswordFile(file: string): Buffer {
  let text: string;
  try {
    text = isExecutable(file) ? execFileSync(file, [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }) : readFileSync(file, 'utf8');
  } catch (err) {
    throw new PasswordError(`cannot read the vault password file ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const pw = text.trim();
  if (pw === '') throw new PasswordError(`the vault password file ${file} is empty`);
  return Buffer.from(pw, 'utf8');
}

function stty(args: string[], tty: number): void {
  spawnSync('stty', args, { stdio: [tty, 'ignore', 'ignore'] });
}

/** Ask on /dev/tty with echo off (works while stdin/stdout are pipes). */
export function promptPassword(question: string): Buffer {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new PasswordError('no terminal to ask the vault password on');
  }
  try {
    writeSync(fd, question);
    stty(['-echo'], fd);
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(256);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      const part = buf.subarray(0, n);
      const nl = part.indexOf(10);
      chunks.push(Buffer.from(nl >= 0 ? part.subarray(0, nl) : part));
      if (nl >= 0) break;
    }
    writeSync(fd, '\n');
    const pw = Buffer.concat(chunks).toString('utf8').replace(/\r$/, '');
    if (pw === '') throw new PasswordError('an empty vault password was given');
    return Buffer.from(pw, 'utf8');
  } finally {
    stty(['echo'], fd);
    closeSync(fd);
  }
}

export interface PasswordSource {
  /** --vault-password-file, else ROSEY_VAULT_PASSWORD_FILE */
  file?: string;
  /** may we ask on the terminal when there is no file */
  prompt: boolean;
}

/** A lazy, read-once password: nothing is read or asked until a vault is met. */
export function passwordGetter(src: PasswordSource, question = 'Vault password: '): () => Buffer {
  let cached: Buffer | undefined;
  return () => {
    if (cached) return cached;
    if (src.file) cached = readPasswordFile(src.file);
    else if (src.prompt) cached = promptPassword(question);
    else throw new PasswordError('no vault password was given');
    return cached;
  };
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { userError } from '../errors/diagnostic.js';
import { decryptVault, encryptVault, isVaultText } from './envelope.js';
import { readText, writeText } from './files.js';
import { openVault } from './keyring.js';

/** rosey-vault's file commands; the password comes through the keyring (keyring.ts). */
export interface Passwords {
  current(): Buffer;
  /** rekey's new password */
  next(): Buffer;
}

function opened(file: string): Buffer {
  const text = readText(file);
  if (!isVaultText(text)) throw userError(`${file} is not vault-encrypted`);
  return openVault(text, { file, line: 1, column: 1 });
}

export function encryptFile(file: string, output: string | undefined, pw: Passwords): void {
  const text = readText(file);
  if (isVaultText(text)) throw userError(`${file} is already vault-encrypted`, undefined, 'Use rosey-vault rekey to change its password.');
  writeText(output ?? file, encryptVault(text, pw.current()));
}

export function decryptFile(file: string, output: string | undefined): void {
  writeText(output ?? file, opened(file).toString('utf8'));
}

export function viewFile(file: string): void {
  process.stdout.write(opened(file));
}

/** Re-encrypt with the new password; an Ansible vault becomes a Rosey vault. */
export function rekeyFile(file: string, pw: Passwords): void {
  const plain = opened(file);
  writeText(file, encryptVault(plain, pw.next()));
}

/**
 * Decrypt into a private temp folder (0700, the file 0600), run $EDITOR,
 * encrypt again only if the text changed; the plaintext is removed whatever
 * happens. A missing file is created (as ansible-vault create).
 */
export function editFile(file: string, editor: string, pw: Passwords): void {
  const plain = existsSync(file) ? opened(file) : Buffer.alloc(0);
  const dir = mkdtempSync(join(tmpdir(), 'rosey-vault-'));
  const tmp = join(dir, basename(file));
  try {
    writeFileSync(tmp, plain, { mode: 0o600 });
    const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'editor', tmp], { stdio: 'inherit' });
    if (r.status !== 0) throw userError(`the editor (${editor}) exited with ${r.status ?? r.signal}; ${file} is unchanged`);
    const edited = readFileSync(tmp);
    if (existsSync(file) && edited.equals(plain)) return;
    writeText(file, encryptVault(edited, pw.current()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines for a vars file: `name: !vault |` and the vault text indented under it. */
export function encryptString(value: string, name: string | undefined, password: Buffer): string {
  const body = encryptVault(value, password)
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  return `${name ?? 'value'}: !vault |\n${body}\n`;
}

export { decryptVault };

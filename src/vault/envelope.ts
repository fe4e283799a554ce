import { ANSIBLE_HEADER, decryptAnsible } from './ansible.js';
import { encryptRosey, decryptRosey, ROSEY_HEADER } from './rosey.js';

export { WrongPasswordError, VaultFormatError } from './errors.js';

/** Is this text (a file, or a `!vault` value) vault-encrypted, in either format? */
export function isVaultText(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith(ROSEY_HEADER) || t.startsWith(ANSIBLE_HEADER);
}

/** Decrypt Rosey's or Ansible's format, whichever the header says. */
export function decryptVault(text: string, password: Buffer): Buffer {
  return text.trimStart().startsWith(ANSIBLE_HEADER) ? decryptAnsible(text, password) : decryptRosey(text, password);
}

/** New vault text is always Rosey's format (AES-256-GCM, scrypt). */
export function encryptVault(plaintext: Buffer | string, password: Buffer): string {
  return encryptRosey(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext, password);
}

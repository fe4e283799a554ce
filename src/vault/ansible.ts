import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { VaultFormatError, WrongPasswordError } from './errors.js';

/**
 * Ansible Vault 1.1 / 1.2 (`$ANSIBLE_VAULT;1.1;AES256`), read only, so a team
 * brings its secrets along unchanged. The body is hex of
 * `hex(salt) \n hex(hmac) \n hex(ciphertext)`; the keys come from
 * PBKDF2-HMAC-SHA256 (10000 iterations, 80 bytes: AES key, HMAC key, CTR
 * counter), the cipher is AES-256-CTR over PKCS#7-padded text, and the
 * HMAC-SHA256 of the ciphertext proves the password. 1.2 only adds a
 * vault-id label to the header, which Rosey ignores (one password).
 */
export const ANSIBLE_HEADER = '$ANSIBLE_VAULT;';

const HEX = /^[0-9a-fA-F]*$/;

function unhex(text: string, what: string): Buffer {
  if (!HEX.test(text) || text.length % 2 !== 0) throw new VaultFormatError(`${what} is not hex`);
  return Buffer.from(text, 'hex');
}

function parseEnvelope(text: string): { salt: Buffer; mac: Buffer; body: Buffer } {
  const [header = '', ...rest] = text.trim().split(/\r?\n/);
  const fields = header.split(';');
  if (fields[0] !== '$ANSIBLE_VAULT' || !['1.1', '1.2'].includes(fields[1] ?? '') || fields[2]?.trim() !== 'AES256') {
    throw new VaultFormatError(`unsupported Ansible vault header "${header}" (Rosey reads 1.1 and 1.2 with AES256)`);
  }
  const inner = unhex(rest.map((l) => l.trim()).join(''), 'the vault body').toString('latin1');
  const [salt, mac, body] = inner.split('\n');
  if (salt === undefined || mac === undefined || body === undefined) throw new VaultFormatError('the vault body has not three parts (salt, hmac, ciphertext)');
  return { salt: unhex(salt, 'the salt'), mac: unhex(mac, 'the hmac'), body: unhex(body, 'the ciphertext') };
}

function unpad(padded: Buffer): Buffer {
  const n = padded[padded.length - 1] ?? 0;
  if (n < 1 || n > 16 || n > padded.length) throw new VaultFormatError('bad padding after decryption');
  return padded.subarray(0, padded.length - n);
}

/** The plaintext of an Ansible vault text; WrongPasswordError when the HMAC does not match. */
export function decryptAnsible(text: string, password: Buffer): Buffer {
  const { salt, mac, body } = parseEnvelope(text);
  const keys = pbkdf2Sync(password, salt, 10000, 80, 'sha256');
  const expected = createHmac('sha256', keys.subarray(32, 64)).update(body).digest();
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new WrongPasswordError();
  const decipher = createDecipheriv('aes-256-ctr', keys.subarray(0, 32), keys.subarray(64, 80));
  return unpad(Buffer.concat([decipher.update(body), decipher.final()]));
}

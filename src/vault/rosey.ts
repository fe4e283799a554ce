import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { VaultFormatError, WrongPasswordError } from './errors.js';

/**
 * Rosey's own vault format: AES-256-GCM, the key from scrypt, node:crypto
 * only. The header names the KDF parameters (so they can grow later without
 * breaking old files) and is authenticated as GCM's additional data: an
 * edited header fails like a wrong password, never silently.
 *
 *     $ROSEY_VAULT;1.0;AES256-GCM;scrypt:N=32768,r=8,p=1
 *     base64( salt[16] | nonce[12] | ciphertext | tag[16] ), 76 a line
 */
export const ROSEY_HEADER = '$ROSEY_VAULT;';

interface Kdf {
  N: number;
  r: number;
  p: number;
}

/** scrypt's cost for new files: about 0.1 s per value on a small server, 32 MiB of memory. */
export const DEFAULT_KDF: Kdf = { N: 32768, r: 8, p: 1 };

const SALT = 16;
const NONCE = 12;
const TAG = 16;

function headerOf(kdf: Kdf): string {
  return `$ROSEY_VAULT;1.0;AES256-GCM;scrypt:N=${kdf.N},r=${kdf.r},p=${kdf.p}`;
}

function parseHeader(header: string): Kdf {
  const m = /^\$ROSEY_VAULT;1\.0;AES256-GCM;scrypt:N=(\d+),r=(\d+),p=(\d+)$/.exec(header);
  if (!m) throw new VaultFormatError(`unsupported Rosey vault header "${header}"`);
  const kdf = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  // refuse a header that would make scrypt eat the machine (a hand-edited or hostile file)
  if (kdf.N > 2 ** 20 || kdf.r > 32 || kdf.p > 16 || kdf.N < 2 ** 10) throw new VaultFormatError(`scrypt parameters out of range in "${header}"`);
  return kdf;
}

function deriveKey(password: Buffer, salt: Buffer, kdf: Kdf): Buffer {
  return scryptSync(password, salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r * kdf.p + 1024 * 1024 });
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.join('\n');
}

export function encryptRosey(plaintext: Buffer, password: Buffer, kdf: Kdf = DEFAULT_KDF): string {
  const header = headerOf(kdf);
  const salt = randomBytes(SALT);
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(password, salt, kdf), nonce);
  cipher.setAAD(Buffer.from(header, 'utf8'));
  const body = Buffer.concat([salt, nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `${header}\n${wrap(body.toString('base64'), 76)}\n`;
}

export function decryptRosey(text: string, password: Buffer): Buffer {
  const [header = '', ...rest] = text.trim().split(/\r?\n/);
  const kdf = parseHeader(header.trim());
  const b64 = rest.map((l) => l.trim()).join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new VaultFormatError('the vault body is not base64');
  const body = Buffer.from(b64, 'base64');
  if (body.length < SALT + NONCE + TAG) throw new VaultFormatError('the vault body is too short (cut?)');
  const salt = body.subarray(0, SALT);
  const nonce = body.subarray(SALT, SALT + NONCE);
  const tag = body.subarray(body.length - TAG);
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(password, salt, kdf), nonce);
  decipher.setAAD(Buffer.from(header.trim(), 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body.subarray(SALT + NONCE, body.length - TAG)), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong key from tampered bytes; the wrong password is by far the common case
    throw new WrongPasswordError();
  }
}

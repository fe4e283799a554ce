import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decryptVault, encryptVault, isVaultText, VaultFormatError, WrongPasswordError } from '../../../src/vault/envelope.js';

const FIXTURES = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'fixtures', 'vault');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
// Ansible strips the password file's whitespace; the fixtures were made with that file
const ANSIBLE_PW = Buffer.from(fixture('password.txt').trim());
const PLAIN = 'db_password: "s3cret-from-ansible"\napi_token: tok_4f9a2c\nport: 5432\n';

describe('Rosey vault (AES-256-GCM, scrypt)', () => {
  const pw = Buffer.from('correct horse');

  it('round-trips text, and each encryption differs (fresh salt and nonce)', () => {
    const a = encryptVault('hello: world\n', pw);
    const b = encryptVault('hello: world\n', pw);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\$ROSEY_VAULT;1\.0;AES256-GCM;scrypt:N=32768,r=8,p=1\n/);
    expect(isVaultText(a)).toBe(true);
    expect(decryptVault(a, pw).toString()).toBe('hello: world\n');
    expect(decryptVault(b, pw).toString()).toBe('hello: world\n');
  });

  it('a wrong password is told apart from a damaged file', () => {
    const v = encryptVault('x', pw);
    expect(() => decryptVault(v, Buffer.from('wrong'))).toThrow(WrongPasswordError);
    expect(() => decryptVault(v.replace(/\n.*$/s, '\n!!notbase64!!\n'), pw)).toThrow(VaultFormatError);
    expect(() => decryptVault(v.replace('1.0', '9.9'), pw)).toThrow(VaultFormatError);
  });

  it('an edited header or body fails authentication instead of decrypting to garbage', () => {
    const v = encryptVault('payload', pw);
    const [header, body] = v.split('\n');
    const flipped = body!.slice(0, 40) + (body![40] === 'A' ? 'B' : 'A') + body!.slice(41);
    expect(() => decryptVault(`${header}\n${flipped}\n`, pw)).toThrow(WrongPasswordError);
    expect(() => decryptVault(v.replace('N=32768', 'N=16384'), pw)).toThrow(WrongPasswordError);
  });

  it('refuses scrypt parameters that would exhaust memory', () => {
    const v = encryptVault('payload', pw).replace('N=32768', 'N=1073741824');
    expect(() => decryptVault(v, pw)).toThrow(/out of range/);
  });
});

describe('Ansible vault files made by ansible-vault 2.14 (test/fixtures/vault)', () => {
  it('decrypts a 1.1 file', () => {
    expect(decryptVault(fixture('ansible-vars.yml'), ANSIBLE_PW).toString()).toBe(PLAIN);
  });

  it('decrypts a 1.2 file with a vault-id label', () => {
    expect(fixture('ansible-vars-1.2.yml')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    expect(decryptVault(fixture('ansible-vars-1.2.yml'), ANSIBLE_PW).toString()).toBe(PLAIN);
  });

  it('decrypts an encrypt_string value (indented, as under !vault |)', () => {
    const body = fixture('ansible-string.yml').split('\n').slice(1).join('\n');
    expect(decryptVault(body, ANSIBLE_PW).toString()).toBe('inline-ansible-secret');
  });

  it('a wrong password fails the HMAC check', () => {
    expect(() => decryptVault(fixture('ansible-vars.yml'), Buffer.from('nope'))).toThrow(WrongPasswordError);
  });

  it('a cut file is damaged, not a wrong password', () => {
    const cut = fixture('ansible-vars.yml').split('\n').slice(0, 3).join('\n');
    expect(() => decryptVault(cut, ANSIBLE_PW)).toThrow(VaultFormatError);
  });
});

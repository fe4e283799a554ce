import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// the built command, as a user runs it (npm test builds first, as for rosey-apply's CLI tests)
const BIN = join(ROOT, 'bin', 'rosey-vault.js');

function vault(args: string[], cwd: string, input?: string, env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, CI: 'true', ...env }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('rosey-vault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-vault-cli-'));
  writeFileSync(join(dir, 'pw1'), 'first password\n');
  writeFileSync(join(dir, 'pw2'), 'second password\n');

  it('encrypt, view, rekey, decrypt a file; a wrong password exits 1 naming the file', () => {
    writeFileSync(join(dir, 'vars.yml'), 'token: abc123\n');
    expect(vault(['--vault-password-file', 'pw1', 'encrypt', 'vars.yml'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'vars.yml'), 'utf8')).toMatch(/^\$ROSEY_VAULT;/);
    expect(vault(['view', 'vars.yml'], dir, undefined, { ROSEY_VAULT_PASSWORD_FILE: 'pw1' }).out).toBe('token: abc123\n');
    const wrong = vault(['--vault-password-file', 'pw2', 'view', 'vars.yml'], dir);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('wrong vault password for vars.yml');
    expect(vault(['--vault-password-file', 'pw1', 'rekey', '--new-vault-password-file', 'pw2', 'vars.yml'], dir).code).toBe(0);
    expect(vault(['--vault-password-file', 'pw2', 'decrypt', 'vars.yml'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'vars.yml'), 'utf8')).toBe('token: abc123\n');
  });

  it('encrypt-string prints a !vault line that loads back as the value', () => {
    const r = vault(['--vault-password-file', 'pw1', 'encrypt-string', '--name', 'db_password'], dir, 'piped value\n');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^db_password: !vault \|\n {2}\$ROSEY_VAULT;1\.0;/);
    writeFileSync(join(dir, 'inline.yml'), r.out);
    // view refuses a plain file, and the value decrypts through the YAML loader in load.test.ts
    expect(vault(['--vault-password-file', 'pw1', 'view', 'inline.yml'], dir).err).toContain('is not vault-encrypted');
  });

  it('edit runs $EDITOR on the plaintext and encrypts the result again', () => {
    writeFileSync(join(dir, 'e.yml'), 'a: 1\n');
    vault(['--vault-password-file', 'pw1', 'encrypt', 'e.yml'], dir);
    expect(vault(['--vault-password-file', 'pw1', 'edit', 'e.yml'], dir, undefined, { EDITOR: 'sed -i s/1/2/', VISUAL: '' }).code).toBe(0);
    expect(readFileSync(join(dir, 'e.yml'), 'utf8')).toMatch(/^\$ROSEY_VAULT;/);
    expect(vault(['--vault-password-file', 'pw1', 'view', 'e.yml'], dir).out).toBe('a: 2\n');
  });

  it('reads the Ansible-made fixture with its password file', () => {
    const fixtures = join(ROOT, 'test', 'fixtures', 'vault');
    const r = vault(['--vault-password-file', 'password.txt', 'view', 'ansible-vars.yml'], fixtures);
    expect(r.out).toContain('db_password: "s3cret-from-ansible"');
  });

  it('without a password and without a terminal, says how to give one', () => {
    writeFileSync(join(dir, 'n.yml'), 'a: 1\n');
    const r = vault(['encrypt', 'n.yml'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no vault password was given');
  });
});

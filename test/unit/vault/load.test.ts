import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { userErrorOf } from '../user-error.js';
import { Secret } from '../../../src/shared/secret.js';
import { encryptVault } from '../../../src/vault/envelope.js';
import { useVaultPassword } from '../../../src/vault/keyring.js';
import { loadYamlFileSync, locOf, parseYaml } from '../../../src/yaml/source.js';

const FIXTURES = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'fixtures', 'vault');
const ANSIBLE_PW = Buffer.from('ansible fixture pw');

function temp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rosey-vault-')), name);
  writeFileSync(file, text);
  return file;
}


afterEach(() => useVaultPassword(undefined));

describe('vaults in YAML', () => {
  it('an encrypted vars file loads with every string a Secret, numbers as numbers, positions kept', () => {
    useVaultPassword(() => ANSIBLE_PW);
    const vars = loadYamlFileSync(join(FIXTURES, 'ansible-vars.yml')) as Record<string, unknown>;
    expect(vars.db_password).toBeInstanceOf(Secret);
    expect((vars.db_password as Secret).reveal()).toBe('s3cret-from-ansible');
    expect(String(vars.api_token)).toBe('********');
    expect(vars.port).toBe(5432);
    expect(locOf(vars, 'port')?.line).toBe(3);
  });

  it('an Ansible encrypt_string value under !vault is a Secret', () => {
    useVaultPassword(() => ANSIBLE_PW);
    const vars = loadYamlFileSync(join(FIXTURES, 'ansible-string.yml')) as Record<string, unknown>;
    expect((vars.vault_inline as Secret).reveal()).toBe('inline-ansible-secret');
  });

  it('a Rosey !vault value inside a plain file is a Secret; its neighbours are plain', () => {
    const pw = Buffer.from('pw');
    useVaultPassword(() => pw);
    const body = encryptVault('inline-value', pw).trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
    const vars = parseYaml(`user: app\npassword: !vault |\n${body}\n`, 'vars.yml') as Record<string, unknown>;
    expect(vars.user).toBe('app');
    expect(vars.password).toBeInstanceOf(Secret);
    expect(JSON.stringify(vars)).toBe('{"user":"app","password":"********"}');
  });

  it('a wrong password is a UserError naming the file (and the line of a !vault value)', () => {
    useVaultPassword(() => Buffer.from('wrong'));
    const file = join(FIXTURES, 'ansible-vars.yml');
    expect(userErrorOf(() => loadYamlFileSync(file)).diagnostics[0]).toMatchObject({ summary: `wrong vault password for ${file}`, source: { file, line: 1 } });
    const inline = userErrorOf(() => loadYamlFileSync(join(FIXTURES, 'ansible-string.yml'))).diagnostics[0]!;
    expect(inline.summary).toMatch(/wrong vault password/);
    expect(inline.source).toMatchObject({ line: 1 });
  });

  it('without a password, a vault is a UserError that says how to give one', () => {
    const file = temp('v.yml', readFileSync(join(FIXTURES, 'ansible-vars.yml'), 'utf8'));
    const d = userErrorOf(() => loadYamlFileSync(file)).diagnostics[0]!;
    expect(d.summary).toMatch(/vault-encrypted: no vault password was given/);
    expect(d.detail).toMatch(/--vault-password-file/);
  });

  it('the password is asked for once, and only when a vault is met', () => {
    let asked = 0;
    const pw = Buffer.from('pw');
    useVaultPassword(() => (asked++, pw));
    loadYamlFileSync(temp('plain.yml', 'a: 1\n'));
    expect(asked).toBe(0);
    loadYamlFileSync(temp('v.yml', encryptVault('a: x\n', pw)));
    expect(asked).toBe(1);
  });
});

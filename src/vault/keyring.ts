import { UserError, type SourceLoc } from '../errors/diagnostic.js';
import { Secret } from '../shared/secret.js';
import { decryptVault, VaultFormatError, WrongPasswordError } from './envelope.js';
import { PasswordError } from './password.js';

/**
 * The vault password for this process. The YAML loader is called from every
 * layer (inventory, playbook, roles, vars files) and meets vaults anywhere;
 * threading a password through each of them would change every signature
 * for one value that is set once, by the CLI, before anything is loaded.
 * So it lives here, like the process's locale: `useVaultPassword` at start,
 * `openVault` where a vault is met.
 */
let getPassword: (() => Buffer) | undefined;

export function useVaultPassword(getter: (() => Buffer) | undefined): void {
  getPassword = getter;
}

const NO_PASSWORD = 'Pass --vault-password-file FILE, or set ROSEY_VAULT_PASSWORD_FILE, or run on a terminal to be asked.';

/** Decrypt vault text met at `loc`; every failure is a UserError naming the file (exit 1, nothing contacted). */
export function openVault(text: string, loc: SourceLoc, what = 'this file'): Buffer {
  if (!getPassword) throw new UserError({ severity: 'error', summary: `${what} is vault-encrypted: no vault password was given`, detail: NO_PASSWORD, source: loc });
  try {
    return decryptVault(text, getPassword());
  } catch (err) {
    if (err instanceof WrongPasswordError) {
      throw new UserError({ severity: 'error', summary: `wrong vault password for ${loc.file}`, detail: 'The password does not open this vault. Check --vault-password-file / ROSEY_VAULT_PASSWORD_FILE.', source: loc });
    }
    if (err instanceof PasswordError) throw new UserError({ severity: 'error', summary: `${what} is vault-encrypted: ${err.message}`, detail: NO_PASSWORD, source: loc });
    if (err instanceof VaultFormatError) throw new UserError({ severity: 'error', summary: `damaged vault in ${loc.file}: ${err.message}`, detail: 'Re-create it with rosey-vault encrypt (or restore it from version control).', source: loc });
    throw err;
  }
}

/** A `!vault` value: decrypted at once (so a wrong password stops the run before any host), kept as a Secret. */
export function openVaultValue(text: string, loc: SourceLoc): Secret {
  return new Secret(openVault(text, loc, 'this !vault value').toString('utf8'));
}

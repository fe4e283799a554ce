import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { UserError, userError } from '../errors/diagnostic.js';
import { readEnv } from '../cli/env.js';
import { formatDiagnostic } from '../report/diagnostics.js';
import { decryptFile, editFile, encryptFile, encryptString, rekeyFile, viewFile, type Passwords } from './commands.js';
import { useVaultPassword } from './keyring.js';
import { passwordGetter, PasswordError, promptPassword, readPasswordFile } from './password.js';

/**
 * rosey-vault: encrypt, decrypt, view, edit and rekey vault files, and
 * encrypt one value for a `!vault` line. New vaults are Rosey's format
 * (AES-256-GCM, scrypt); Ansible vaults are read, and rekey turns them into
 * Rosey's.
 */
interface Global {
  vaultPasswordFile?: string;
}

function confirmed(question: string): Buffer {
  const a = promptPassword(question);
  const b = promptPassword('Confirm: ');
  if (!a.equals(b)) throw new PasswordError('the passwords do not match');
  return a;
}

function passwords(g: Global, newFile: string | undefined, asking: 'confirm' | 'once'): Passwords {
  const env = readEnv();
  const file = g.vaultPasswordFile ?? env.vaultPasswordFile;
  // rosey-vault may ask on /dev/tty even when stdin is a pipe (`echo v | rosey-vault encrypt-string`), but never under CI
  const ask = (): Buffer => (asking === 'confirm' ? confirmed('New vault password: ') : promptPassword('Vault password: '));
  const current = file || env.ci ? passwordGetter({ file, prompt: false }) : ask;
  let cached: Buffer | undefined;
  const once = (): Buffer => (cached ??= current());
  useVaultPassword(once);
  return {
    current: once,
    next: () => (newFile ? readPasswordFile(newFile) : env.ci ? passwordGetter({ prompt: false })() : confirmed('New vault password: ')),
  };
}

function readValue(value: string | undefined): string {
  if (value !== undefined) return value;
  if (process.stdin.isTTY) return promptPassword('Value to encrypt: ').toString('utf8');
  // a value piped in keeps everything but one final newline (echo adds it)
  return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
}

export function buildVaultProgram(): Command {
  const program = new Command('rosey-vault')
    .description('Encrypt secrets for rosey-apply (Rosey vaults; Ansible vaults are read too)')
    .option('--vault-password-file <file>', 'the vault password (else ROSEY_VAULT_PASSWORD_FILE, else asked on the terminal)')
    .exitOverride();
  const g = (): Global => program.opts<Global>();
  program.command('encrypt').argument('<files...>').option('--output <file>', 'write here instead of in place ("-": stdout)').description('encrypt files in place')
    .action((files: string[], o: { output?: string }) => files.forEach((f) => encryptFile(f, o.output, passwords(g(), undefined, 'confirm'))));
  program.command('decrypt').argument('<files...>').option('--output <file>', 'write here instead of in place ("-": stdout)').description('decrypt files in place')
    .action((files: string[], o: { output?: string }) => (passwords(g(), undefined, 'once'), files.forEach((f) => decryptFile(f, o.output))));
  program.command('view').argument('<file>').description('print the decrypted file')
    .action((file: string) => (passwords(g(), undefined, 'once'), viewFile(file)));
  program.command('edit').argument('<file>').description('edit the decrypted file in $EDITOR, then encrypt it again (creates it if missing)')
    .action((file: string) => editFile(file, process.env.VISUAL || process.env.EDITOR || 'vi', passwords(g(), undefined, 'once')));
  program.command('rekey').argument('<files...>').option('--new-vault-password-file <file>', 'the new password (else asked)').description('encrypt files again with a new password')
    .action((files: string[], o: { newVaultPasswordFile?: string }) => {
      const pw = passwords(g(), o.newVaultPasswordFile, 'once');
      files.forEach((f) => rekeyFile(f, pw));
    });
  program.command('encrypt-string').argument('[value]', 'the value (else read from stdin, or asked on a terminal)').option('-n, --name <name>', 'the variable name').description('encrypt one value for a vars file (`name: !vault |`)')
    .action((value: string | undefined, o: { name?: string }) => {
      const text = readValue(value);
      if (text === '') throw userError('nothing to encrypt: the value is empty');
      process.stdout.write(encryptString(text, o.name, passwords(g(), undefined, 'confirm').current()));
    });
  return program;
}

export function runVault(argv: string[]): number {
  try {
    buildVaultProgram().parse(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    if (err instanceof UserError) {
      for (const d of err.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
      return 1;
    }
    if (err instanceof PasswordError) {
      process.stderr.write(`ERROR: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

import { Command } from 'commander';
import { userError } from '../errors/diagnostic.js';
import { loadInventory } from '../inventory/inventory.js';
import { isRunId, newRunId } from '../journal/run-id.js';
import { restoreBackups } from '../journal/undo.js';
import { listLocalRecords, readLocalRecord } from '../journal/writer.js';
import { rootFor } from '../runner/outcome.js';
import { connect } from '../transport/connect.js';
import { useVaultPassword } from '../vault/keyring.js';
import { passwordGetter } from '../vault/password.js';
import type { RoseyEnv } from './env.js';
import { EXIT } from './options.js';

/**
 * `rosey-apply undo <run-id>`: put back every file that run replaced or
 * removed, from the backups it kept on each host. Files the run created are
 * left alone: there is nothing to go back to, and removing them could break
 * what ran since.
 */
export async function runUndo(argv: string[], env: RoseyEnv): Promise<number> {
  const program = new Command('rosey-apply undo')
    .argument('<run-id>', 'the run to undo (see the recap, or --list)')
    .option('-i, --inventory <path>', 'inventory directory or hosts file', 'inventory/local')
    .option('-l, --limit <pattern>', 'only these hosts')
    .option('--vault-password-file <file>', 'the vault password, for an inventory with encrypted vars (else ROSEY_VAULT_PASSWORD_FILE)')
    .exitOverride();
  program.parse(argv, { from: 'user' });
  const opts = program.opts<{ inventory: string; limit?: string; vaultPasswordFile?: string }>();
  if (opts.vaultPasswordFile) useVaultPassword(passwordGetter({ file: opts.vaultPasswordFile, prompt: false }));
  const runId = program.args[0]!;
  if (!isRunId(runId)) throw userError(`"${runId}" is not a run id (like 20261124T223000Z-1a2b3c)`);
  const record = await readLocalRecord(env.journalDir, runId);
  if (!record) {
    const known = (await listLocalRecords(env.journalDir)).slice(-5);
    throw userError(`no record of run ${runId} in ${env.journalDir}`, undefined, known.length ? `Recent runs: ${known.join(', ')}` : 'No runs are recorded here.');
  }
  const inventory = await loadInventory(opts.inventory);
  const allowed = new Set(inventory.selectHosts(opts.limit ?? 'all'));
  const undoId = newRunId();
  let failed = false;
  for (const h of record.hosts.filter((x) => x.backups.length && allowed.has(x.host))) {
    const spec = inventory.connectionSpec(h.host);
    try {
      const conn = await connect({ ...spec, knownHostsPath: spec.knownHostsPath ?? env.knownHostsPath });
      const results = await restoreBackups(conn, h.backups, undoId, rootFor(spec));
      await conn.close();
      for (const r of results) {
        console.log(`${r.ok ? 'restored' : 'FAILED'}: [${h.host}] ${r.path}${r.message ? ` (${r.message})` : ''}`);
        failed ||= !r.ok;
      }
    } catch (err) {
      console.log(`UNREACHABLE: [${h.host}] ${(err as Error).message}`);
      failed = true;
    }
  }
  console.log(`undo ${runId}: done (this undo's own backups are under run ${undoId})`);
  return failed ? EXIT.failed : EXIT.ok;
}

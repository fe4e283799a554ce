import { Command } from 'commander';
import { userError } from '../errors/diagnostic.js';
import { loadInventory, type Inventory } from '../inventory/inventory.js';
import { hostRecord } from '../journal/host-records.js';
import type { HostRecord, RunRecord } from '../journal/record.js';
import { isRunId, newRunId } from '../journal/run-id.js';
import { applyUndo, describeStep, planUndo, type UndoStep } from '../journal/undo.js';
import { writeLocalRecord, writeRemoteRecord } from '../journal/writer.js';
import { EXIT } from '../runner/options.js';
import { rootFor } from '../runner/outcome.js';
import { connect } from '../transport/connect.js';
import type { Connection } from '../transport/connection.js';
import { sh } from '../transport/quote.js';
import { useVaultPassword } from '../vault/keyring.js';
import { passwordGetter } from '../vault/password.js';
import type { RoseyEnv } from './env.js';

interface UndoFlags {
  inventory: string;
  limit?: string;
  check: boolean;
  diff: boolean;
  vaultPasswordFile?: string;
}

function program(): Command {
  return new Command('rosey-apply undo')
    .description('Put back what a run changed: restore the files it replaced or removed, remove the files it created (from each host\'s record of the run)')
    .argument('<run-id>', 'the run to undo (see `rosey-apply runs`)')
    .option('-i, --inventory <path>', 'inventory directory or hosts file', 'inventory/local')
    .option('-l, --limit <pattern>', 'only these hosts')
    .option('-C, --check', 'say what would be put back, change nothing', false)
    .option('-D, --diff', 'show how each file differs from the version it goes back to', false)
    .option('--vault-password-file <file>', 'the vault password, for an inventory holding encrypted vars')
    .addHelpText('after', '\nExample:\n  rosey-apply runs -i inventory/prod              # find the run id\n  rosey-apply undo 20261124T223000Z-1a2b3c -i inventory/prod --check --diff\n\nA second undo of the same run changes nothing. Exit codes as for an apply.')
    .exitOverride();
}

/**
 * `rosey-apply undo <run-id>`: on every host that run touched (its own
 * record on the host says what it did), put back every file it replaced or
 * removed and remove the files it created. Each step is checked first, so a
 * second undo changes nothing; what an undo replaces is backed up under the
 * undo's own run id, and the undo writes its own run record.
 */
export async function runUndo(argv: string[], env: RoseyEnv): Promise<number> {
  const cmd = program();
  cmd.parse(argv, { from: 'user' });
  const flags = cmd.opts<UndoFlags>();
  if (flags.vaultPasswordFile) useVaultPassword(passwordGetter({ file: flags.vaultPasswordFile, prompt: env.canPrompt }));
  const runId = cmd.args[0]!;
  if (!isRunId(runId)) throw userError(`"${runId}" is not a run id (like 20261124T223000Z-1a2b3c)`, undefined, 'List recent runs with `rosey-apply runs -i <inventory>`.');
  const inventory = await loadInventory(flags.inventory);
  const names = inventory.selectHosts(flags.limit ?? 'all');
  const undoId = newRunId();
  const startedAt = new Date();
  const results = await Promise.all(names.map((name) => undoHost(inventory, name, runId, undoId, flags, env)));
  const touched = results.filter((r): r is HostRecord => r !== undefined);
  if (!touched.length) throw userError(`no host of ${inventory.name} has a record of run ${runId}`, undefined, 'List recent runs with `rosey-apply runs -i <inventory>`.');
  const record = undoRecord(inventory, runId, undoId, touched, flags, env, startedAt);
  if (!flags.check) await writeLocalRecord(env.journalDir, record).catch((e: Error) => console.log(`[WARNING]: could not write the run record locally: ${e.message}`));
  const changed = touched.reduce((n, h) => n + h.counts.changed, 0);
  console.log(`undo ${runId}: ${flags.check ? `${changed} step(s) would run` : `${changed} step(s) done`} on ${touched.length} host(s)${flags.check ? '' : ` (run ${undoId})`}`);
  if (touched.some((h) => h.status === 'failed')) return EXIT.failed;
  if (touched.some((h) => h.status === 'unreachable')) return EXIT.unreachable;
  return EXIT.ok;
}

async function undoHost(inventory: Inventory, name: string, runId: string, undoId: string, flags: UndoFlags, env: RoseyEnv): Promise<HostRecord | undefined> {
  const spec = inventory.connectionSpec(name);
  const become = rootFor(spec);
  let conn: Connection | undefined;
  const base: HostRecord = { host: name, status: 'ok', counts: { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }, tasks: [], backups: [], created: [] };
  try {
    conn = await connect({ ...spec, knownHostsPath: spec.knownHostsPath ?? env.knownHostsPath });
    const rec = await hostRecord(conn, runId, become);
    const mine = rec?.hosts.find((h) => h.host === name);
    if (!mine) return undefined;
    const steps = await planUndo(conn, mine, become);
    const done: string[] = [];
    for (const s of steps) {
      if (flags.diff) await showDiff(conn, s, name, become);
      if (flags.check) {
        console.log(`would ${describeStep(s)}: [${name}]`);
        done.push(describeStep(s));
        continue;
      }
      const r = await applyUndo(conn, s, undoId, become);
      console.log(`${r.ok ? 'changed' : 'FAILED'}: [${name}] ${describeStep(s)}${r.message ? ` (${r.message})` : ''}`);
      if (r.backup) base.backups.push(r.backup);
      if (!r.ok) base.status = 'failed';
      else done.push(describeStep(s));
    }
    if (!steps.length) console.log(`ok: [${name}] nothing to undo`);
    base.counts.changed = done.length;
    base.counts.ok = 1;
    if (base.status !== 'failed' && done.length) base.status = 'changed';
    if (base.status === 'failed') base.counts.failed = 1;
    base.tasks.push({ name: `undo ${runId}`, module: 'undo', status: base.status === 'failed' ? 'failed' : done.length ? 'changed' : 'ok', source: 'rosey-apply undo', changes: done });
    if (!flags.check) await writeRemoteRecord(conn, { ...undoShell(runId, undoId, flags, env), environment: inventory.name, hosts: [base] }, name, become).catch(() => undefined);
    return base;
  } catch (err) {
    console.log(`UNREACHABLE: [${name}] ${(err as Error).message}`);
    return { ...base, status: 'unreachable', counts: { ...base.counts, unreachable: 1 } };
  } finally {
    await conn?.close();
  }
}

/** --diff: the host's own diff of the file now and the version it goes back to (only text files say more than "differ"). */
async function showDiff(conn: Connection, s: UndoStep, host: string, become: { user: string } | undefined): Promise<void> {
  if (s.kind !== 'restore') return;
  const { path, backup } = s.backup;
  const r = await conn.exec(sh`diff -u --label ${`now: ${path}`} --label ${`after undo: ${path}`} ${path} ${backup} 2>&1 | head -n 200; true`, { become });
  console.log(`--- [${host}] ${path}\n${r.stdout.trimEnd()}`);
}

function undoShell(runId: string, undoId: string, flags: UndoFlags, env: RoseyEnv): RunRecord {
  const now = new Date().toISOString();
  return { id: undoId, environment: '', playbook: `undo ${runId}`, user: env.user, check: flags.check, startedAt: now, finishedAt: now, status: 'ok', rollbackOf: runId, hosts: [] };
}

function undoRecord(inventory: Inventory, runId: string, undoId: string, hosts: HostRecord[], flags: UndoFlags, env: RoseyEnv, startedAt: Date): RunRecord {
  const finishedAt = new Date();
  const status = hosts.some((h) => h.status === 'failed') ? 'failed' : hosts.some((h) => h.status === 'unreachable') ? 'unreachable' : 'ok';
  return {
    ...undoShell(runId, undoId, flags, env),
    environment: inventory.name,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    status,
    hosts,
  };
}

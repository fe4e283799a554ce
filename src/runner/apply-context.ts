import { randomBytes } from 'node:crypto';
import type { Become, Connection } from '../transport/connection.js';
import { backupCmd, backupPathFor, didCmd, installFileCmd, takeDid, VALIDATE_FAILED_RC } from '../transport/files.js';
import { ModuleFailure, type ApplyContext, type ApplyReport } from '../modules/types.js';

/**
 * The host as a module's apply sees it: the task's become bound in, writes
 * atomic and backed up into this run's folder. Modules never see the
 * connection or the run id.
 *
 * `report` fills in as the host confirms what it did: each backup or
 * creation fragment prints a random token when (and only when) it happened,
 * and the token's meaning is kept here. So the journal records what the host
 * did, whatever the module's change looked like.
 */
export function applyContext(conn: Connection, runId: string, become: Become | undefined): { ctx: ApplyContext; report: ApplyReport } {
  const report: ApplyReport = { backups: [], created: [] };
  const expected = new Map<string, () => void>();
  const token = (onDone: () => void): string => {
    const t = randomBytes(8).toString('hex');
    expected.set(t, onDone);
    return t;
  };
  const backedUp = (path: string) => token(() => report.backups.push({ path, backup: backupPathFor(runId, path) }));
  const created = (path: string, type: ApplyReport['created'][number]['type']) => token(() => report.created.push({ path, type }));
  const settle = (stdout: string): string => {
    const { tokens, rest } = takeDid(stdout);
    for (const t of tokens) {
      expected.get(t)?.();
      expected.delete(t);
    }
    return rest;
  };
  const ctx: ApplyContext = {
    async run(cmd, opts) {
      const r = await conn.exec(cmd, { become, stdin: opts?.stdin });
      return { ...r, stdout: settle(r.stdout) };
    },
    backup: (path) => backupCmd(runId, path, { done: didCmd(backedUp(path)) }),
    created: (path, type) => didCmd(created(path, type)),
    async writeFile(path, data, opts) {
      // the size lets the script refuse content cut short by a dropped connection
      const size = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      const marks = { backedUp: didCmd(backedUp(path)), created: didCmd(created(path, 'file')) };
      const r = await conn.exec(installFileCmd(path, { ...opts, backupRunId: runId, size, report: marks }), { become, stdin: data });
      // a backup counts once made, even if the install then failed
      settle(r.stdout);
      if (r.rc === VALIDATE_FAILED_RC) {
        throw new ModuleFailure(`validation of the new ${path} failed; the old file is unchanged`, {
          rc: r.rc,
          stderr: r.stderr,
          stdout: r.stdout,
        });
      }
      if (r.rc !== 0) {
        throw new ModuleFailure(`could not write ${path}: ${r.stderr.trim() || `exit ${r.rc}`}`, { rc: r.rc, stderr: r.stderr });
      }
    },
  };
  return { ctx, report };
}

import type { Become, Connection } from '../transport/connection.js';
import { backupCmd, installFileCmd, VALIDATE_FAILED_RC } from '../transport/files.js';
import { ModuleFailure, type ApplyContext } from '../modules/types.js';

/**
 * The host as a module's apply sees it: the task's become bound in, writes
 * atomic and backed up into this run's folder. Modules never see the
 * connection or the run id.
 */
export function applyContext(conn: Connection, runId: string, become: Become | undefined): ApplyContext {
  return {
    run: (cmd, opts) => conn.exec(cmd, { become, stdin: opts?.stdin }),
    backup: (path) => backupCmd(runId, path),
    async writeFile(path, data, opts) {
      // the size lets the script refuse content cut short by a dropped connection
      const size = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      const r = await conn.exec(installFileCmd(path, { ...opts, backupRunId: runId, size }), { become, stdin: data });
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
}

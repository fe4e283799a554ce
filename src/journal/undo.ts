import { tempNameFor } from '../transport/host-paths.js';
import type { Connection } from '../transport/connection.js';
import { backupCmd } from '../transport/files.js';
import { joinCmds, sh, type Cmd } from '../transport/quote.js';
import type { BackupRecord } from './record.js';

/**
 * Put one backed-up file back: copy the backup beside the target, rename it
 * over (atomic), after backing up the current file under the undo run's id,
 * so an undo can itself be undone.
 */
export function restoreCmd(b: BackupRecord, undoRunId: string): Cmd {
  const tmp = tempNameFor(b.path, 'undo-');
  return joinCmds(
    [sh`test -e ${b.backup} || { echo ${`backup ${b.backup} is missing`} >&2; exit 3; }`, backupCmd(undoRunId, b.path), sh`cp -a ${b.backup} ${tmp}`, sh`mv -f ${tmp} ${b.path}`],
    '&&',
  );
}

export interface RestoreResult {
  path: string;
  ok: boolean;
  message?: string;
}

export async function restoreBackups(conn: Connection, backups: BackupRecord[], undoRunId: string, become: { user: string } | undefined): Promise<RestoreResult[]> {
  const out: RestoreResult[] = [];
  // newest first: a path replaced twice in one run ends with its oldest content
  for (const b of [...backups].reverse()) {
    const r = await conn.exec(restoreCmd(b, undoRunId), { become });
    out.push({ path: b.path, ok: r.rc === 0, ...(r.rc !== 0 ? { message: r.stderr.trim() } : {}) });
  }
  return out;
}

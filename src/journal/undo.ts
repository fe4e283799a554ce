import { randomBytes } from 'node:crypto';
import type { Connection, Become } from '../transport/connection.js';
import { backupCmd, didCmd, takeDid } from '../transport/files.js';
import { backupPathFor, tempNameFor } from '../transport/host-paths.js';
import { joinCmds, sh, type Cmd } from '../transport/quote.js';
import type { BackupRecord, CreatedRecord, HostRecord } from './record.js';

/** One step of an undo on one host: put a backup back, or remove what the run created. */
export type UndoStep = { kind: 'restore'; backup: BackupRecord } | { kind: 'remove'; created: CreatedRecord };

export function describeStep(s: UndoStep): string {
  return s.kind === 'restore' ? `restore ${s.backup.path}` : `remove ${s.created.type} ${s.created.path} (created by the run)`;
}

/**
 * Is the path already as the undo would leave it? A shell test: a restore is
 * done when the path equals its backup (same link target, same bytes, same
 * tree); a removal when nothing is there (a non-empty created folder is
 * left alone: something else lives in it now).
 */
function doneTest(s: UndoStep): Cmd {
  if (s.kind === 'remove') {
    const p = s.created.path;
    return s.created.type === 'directory' ? sh`{ [ ! -d ${p} ] || [ -n "$(ls -A ${p})" ]; }` : sh`{ [ ! -e ${p} ] && [ ! -L ${p} ]; }`;
  }
  const { path: p, backup: b } = s.backup;
  return sh`{ if [ -L ${b} ]; then [ -L ${p} ] && [ "$(readlink ${b})" = "$(readlink ${p})" ]; elif [ -d ${b} ]; then [ -d ${p} ] && [ ! -L ${p} ] && diff -rq --no-dereference ${b} ${p} >/dev/null 2>&1; else [ -f ${p} ] && [ ! -L ${p} ] && cmp -s ${b} ${p}; fi; }`;
}

/** The steps still to do on a host, newest first (a path changed twice ends with its oldest content): one round trip. */
export async function planUndo(conn: Connection, h: HostRecord, become?: Become): Promise<UndoStep[]> {
  const steps: UndoStep[] = [...h.backups.map((backup) => ({ kind: 'restore' as const, backup })), ...(h.created ?? []).map((created) => ({ kind: 'remove' as const, created }))].reverse();
  if (!steps.length) return [];
  const script = joinCmds(steps.map((s, i) => sh`if ${doneTest(s)}; then echo ${`step${i}=done`}; else echo ${`step${i}=todo`}; fi`), '\n');
  const r = await conn.exec(script, { become });
  return steps.filter((_, i) => r.stdout.includes(`step${i}=todo`));
}

/**
 * Do one step, after backing up what is there now under the undo's own run
 * id (so an undo can itself be undone). Returns the backup it made, if any.
 */
export async function applyUndo(conn: Connection, s: UndoStep, undoRunId: string, become?: Become): Promise<{ ok: boolean; message?: string; backup?: BackupRecord }> {
  const path = s.kind === 'restore' ? s.backup.path : s.created.path;
  const token = randomBytes(8).toString('hex');
  const save = backupCmd(undoRunId, path, { done: didCmd(token) });
  let cmd: Cmd;
  if (s.kind === 'restore') {
    const b = s.backup.backup;
    const tmp = tempNameFor(path, 'undo-');
    // copy beside the target, then rename over it: atomic for files and links
    cmd = joinCmds([sh`test -e ${b} || test -L ${b} || { echo ${`backup ${b} is missing`} >&2; exit 3; }`, save, sh`cp -a ${b} ${tmp}`, sh`{ [ ! -d ${path} ] || [ -L ${path} ] || rm -rf -- ${path}; }`, sh`mv -Tf ${tmp} ${path}`], '&&');
  } else {
    cmd = s.created.type === 'directory' ? sh`rmdir -- ${path} 2>/dev/null || true` : joinCmds([save, sh`rm -f -- ${path}`], '&&');
  }
  const r = await conn.exec(cmd, { become });
  const made = takeDid(r.stdout).tokens.has(token);
  return {
    ok: r.rc === 0,
    ...(r.rc !== 0 ? { message: r.stderr.trim() || `exit ${r.rc}` } : {}),
    ...(made ? { backup: { path, backup: backupPathFor(undoRunId, path) } } : {}),
  };
}

import { posix } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Every path Rosey itself uses on a host, in one place: what `undo`, the
 * pending-handler marks, the run records and the temp files of atomic writes
 * agree on. Change one here and every writer and reader follows.
 */

/** Root of the per-run backup folders: /var/backups/rosey/<run-id>/<path>. */
export const BACKUP_ROOT = '/var/backups/rosey';

/** Rosey's state on the host (root-owned, world-readable). */
export const STATE_ROOT = '/var/lib/rosey';

/** One JSON record per run that touched the host (the host's part only). */
export const RUNS_DIR = `${STATE_ROOT}/runs`;

/** One run at a time per inventory host: runner/host-lock.ts. */
export const LOCK_ROOT = `${STATE_ROOT}/locks`;

export function lockDirFor(host: string): string {
  return `${LOCK_ROOT}/${host.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** One empty file per handler notified but not yet run (see runner/pending-handlers.ts). */
export const PENDING_DIR = `${STATE_ROOT}/pending-handlers`;

export function backupPathFor(runId: string, path: string): string {
  return posix.join(BACKUP_ROOT, runId, path);
}

export function runRecordPath(runId: string): string {
  return `${RUNS_DIR}/${runId}.json`;
}

/**
 * A temp name beside `path` (same folder, so the final `mv` is a rename on
 * one filesystem): `.<name>.rosey-<tag><random>`. A leftover one is
 * recognisable as Rosey's and safe to delete.
 */
export function tempNameFor(path: string, tag = ''): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.rosey-${tag}${randomBytes(6).toString('hex')}`);
}

/** Touched after every successful `apt-get update` by the apt module: the index's age for cache_valid_time. */
export const APT_UPDATE_STAMP = `${STATE_ROOT}/apt-update-stamp`;

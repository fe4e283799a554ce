/**
 * The record of one `rosey-apply` run: written locally and on each host by
 * the journal, posted to the dashboard, read back by `undo` and the history.
 * One type for all of them. It never holds a secret value: task names and
 * change summaries only (no_log tasks are recorded as "(no_log)").
 */
export type RunStatus = 'running' | 'ok' | 'failed' | 'unreachable';
export type HostStatus = 'ok' | 'changed' | 'failed' | 'unreachable';
export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'rescued' | 'ignored';

export interface BackupRecord {
  /** the path on the host that was replaced or removed */
  path: string;
  /** where its previous content is kept on the host */
  backup: string;
}

/** A path the run created (nothing was there before): `undo` removes it. */
export interface CreatedRecord {
  path: string;
  type: 'file' | 'directory' | 'link';
}

export interface TaskRecord {
  name: string;
  module: string;
  status: TaskStatus;
  /** file:line:col of the task */
  source: string;
  /** change summaries ("update /etc/foo.conf") */
  changes: string[];
  msg?: string;
}

export interface HostCounts {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export interface HostRecord {
  host: string;
  status: HostStatus;
  counts: HostCounts;
  /** tasks that changed, failed or were unreachable (ok/skipped ones are counted only) */
  tasks: TaskRecord[];
  backups: BackupRecord[];
  /** absent in records written before Rosey recorded creations */
  created?: CreatedRecord[];
}

export interface RunRecord {
  /** sortable, unique: 20261124T223000Z-1a2b3c */
  id: string;
  /** inventory name: test, prod, local */
  environment: string;
  playbook: string;
  /** release deployed, when the playbook sets `rosey_version` */
  version?: string;
  /** who ran it ($ROSEY_USER, else the OS user) */
  user: string;
  /** why (--reason / $ROSEY_REASON) */
  reason?: string;
  gitRevision?: string;
  check: boolean;
  /** ISO 8601 */
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  status: RunStatus;
  /** the run id this run rolled back, when it is a rollback */
  rollbackOf?: string;
  /** one part of a `--shard I/N` run: the N records with the same group are one run */
  shard?: { index: number; count: number; group: string; hosts: number };
  hosts: HostRecord[];
}

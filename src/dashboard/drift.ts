import type { RunRecord } from '../journal/record.js';

/**
 * Whether an environment still matches its playbooks, from the scheduled
 * `--check --detailed-exitcode` run (drift.yml posts that run's record).
 * `match`: nothing would change; `drift`: something would (what, below);
 * `failed`: the check itself failed or could not reach a host, so it says
 * nothing new about drift (the last known answer stays in `drifted`).
 */
export type DriftStatus = 'match' | 'drift' | 'failed';

export interface DriftedTask {
  host: string;
  task: string;
  source: string;
  changes: string[];
}

export interface DriftState {
  environment: string;
  playbook: string;
  status: DriftStatus;
  /** the last known answer: true drifted, false matched, null never known (only failed checks so far) */
  drifted: boolean | null;
  /** ISO 8601: when the last check finished */
  checkedAt: string;
  /** ISO 8601: when a check last found nothing to change, null if never */
  lastMatchAt: string | null;
  runId: string;
  /** what would change, from the last check that got an answer */
  tasks: DriftedTask[];
}

/** The environment's drift after the check run `record`, given what was known before. */
export function driftAfter(record: RunRecord, previous: DriftState | undefined): DriftState {
  const checkedAt = record.finishedAt ?? record.startedAt;
  const base = { environment: record.environment, playbook: record.playbook, checkedAt, runId: record.id };
  if (record.status !== 'ok') {
    return { ...base, status: 'failed', drifted: previous?.drifted ?? null, lastMatchAt: previous?.lastMatchAt ?? null, tasks: previous?.tasks ?? [] };
  }
  const tasks = record.hosts.flatMap((h) => h.tasks.filter((t) => t.status === 'changed').map((t) => ({ host: h.host, task: t.name, source: t.source, changes: t.changes })));
  if (tasks.length === 0) return { ...base, status: 'match', drifted: false, lastMatchAt: checkedAt, tasks: [] };
  return { ...base, status: 'drift', drifted: true, lastMatchAt: previous?.lastMatchAt ?? null, tasks };
}

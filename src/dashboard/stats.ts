import type { RunRecord } from '../journal/record.js';
import type { FinishedRun } from './store.js';

/** What `GET /api/stats` returns. Durations in milliseconds; `--check` runs are not deployments. */
export interface DeploymentStats {
  total: number;
  running: number;
  succeeded: number;
  /** runs that ended `failed` or `unreachable` */
  failures: number;
  /** succeeded / finished, 0..1; null before any deployment finished */
  successRate: number | null;
  meanDurationMs: number | null;
  p95DurationMs: number | null;
  lastPerEnvironment: Record<string, LastDeployment>;
}

export interface LastDeployment {
  id: string;
  status: RunRecord['status'];
  version: string | null;
  user: string;
  startedAt: string;
  finishedAt: string | null;
}

/** Nearest-rank percentile (no interpolation): the value a `p` share of samples is at or below. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

export function computeStats(finished: readonly FinishedRun[], running: number, last: readonly RunRecord[]): DeploymentStats {
  const succeeded = finished.filter((r) => r.status === 'ok').length;
  const durations = finished.flatMap((r) => (r.durationMs === null ? [] : [r.durationMs])).sort((a, b) => a - b);
  const mean = durations.length === 0 ? null : durations.reduce((a, b) => a + b, 0) / durations.length;
  return {
    total: finished.length + running,
    running,
    succeeded,
    failures: finished.length - succeeded,
    successRate: finished.length === 0 ? null : succeeded / finished.length,
    meanDurationMs: mean === null ? null : Math.round(mean),
    p95DurationMs: percentile(durations, 0.95),
    lastPerEnvironment: Object.fromEntries(last.map((r) => [r.environment, lastDeployment(r)])),
  };
}

export function lastDeployment(r: RunRecord): LastDeployment {
  return { id: r.id, status: r.status, version: r.version ?? null, user: r.user, startedAt: r.startedAt, finishedAt: r.finishedAt ?? null };
}

import type { RunRecord, RunStatus } from '../journal/record.js';
import type { AlertRow } from './alert-payload.js';
import type { DriftState } from './drift.js';

/**
 * What the dashboard keeps. The only implementation is `sqlite-store.ts`
 * (all SQL lives there), so the driver can be swapped without touching the
 * routes, the stats or the metrics.
 */
export interface DashboardStore {
  /** Insert or replace by run id; a finished run is never reverted to `running` by a late start post. */
  saveRun(record: RunRecord, receivedAt: Date): SaveRunResult;
  getRun(id: string): RunRecord | undefined;
  /** Newest first. */
  listRuns(filter: RunFilter): RunRecord[];
  /** Finished deployments (not `--check` runs), oldest first, for stats and metrics. */
  finishedRuns(): FinishedRun[];
  /** The newest deployment (not `--check`) per environment, whatever its status. */
  lastRunPerEnvironment(): RunRecord[];
  /** Deployments still `running`, counted per environment (every known environment listed, 0 included). */
  runningPerEnvironment(): Map<string, number>;
  environments(): string[];
  /** Apply one alert notification; `ignored` when it is older than what is stored. */
  saveAlert(alert: AlertRow): 'created' | 'updated' | 'ignored';
  /** Newest first; firing only unless `includeResolved`. */
  listAlerts(options: { includeResolved: boolean }): AlertRow[];
  /** The environment's drift after a check, replacing what was stored for it. */
  saveDrift(state: DriftState): void;
  getDrift(environment: string): DriftState | undefined;
  /** Every environment with a drift check, by name. */
  listDrift(): DriftState[];
  close(): void;
}

export interface SaveRunResult {
  outcome: 'created' | 'updated' | 'ignored';
  /** the status stored before this post, when there was one */
  previous?: RunStatus;
}

export interface RunFilter {
  environment?: string;
  status?: RunStatus;
  limit: number;
}

export interface FinishedRun {
  id: string;
  environment: string;
  status: Exclude<RunStatus, 'running'>;
  /** null when the record carries neither a duration nor an end time */
  durationMs: number | null;
  finishedAtMs: number;
}

/** The run's duration: as recorded, else from its start and end times. */
export function runDurationMs(record: RunRecord): number | null {
  if (record.durationMs !== undefined) return record.durationMs;
  if (record.finishedAt === undefined) return null;
  return Math.max(0, Date.parse(record.finishedAt) - Date.parse(record.startedAt));
}

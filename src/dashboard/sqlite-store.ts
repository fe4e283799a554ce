import Database from 'better-sqlite3';
import { userError } from '../errors/diagnostic.js';
import type { RunRecord, RunStatus } from '../journal/record.js';
import type { AlertRow } from './alert-payload.js';
import type { DriftState } from './drift.js';
import { runDurationMs, type DashboardStore, type FinishedRun, type RunFilter, type SaveRunResult } from './store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS deployments (
  id          TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  status      TEXT NOT NULL,
  is_check    INTEGER NOT NULL,
  started_ms  INTEGER NOT NULL,
  finished_ms INTEGER,
  duration_ms INTEGER,
  record      TEXT NOT NULL,
  updated_ms  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deployments_env_started ON deployments (environment, started_ms);
CREATE INDEX IF NOT EXISTS deployments_started ON deployments (started_ms);
CREATE TABLE IF NOT EXISTS alerts (
  fingerprint TEXT PRIMARY KEY,
  status      TEXT NOT NULL,
  starts_ms   INTEGER NOT NULL,
  row         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_status ON alerts (status, starts_ms);
CREATE TABLE IF NOT EXISTS drift (
  environment TEXT PRIMARY KEY,
  state       TEXT NOT NULL
);
`;

const SQL = {
  runStatus: 'SELECT status FROM deployments WHERE id = ?',
  upsertRun: `INSERT INTO deployments (id, environment, status, is_check, started_ms, finished_ms, duration_ms, record, updated_ms)
    VALUES (@id, @environment, @status, @isCheck, @startedMs, @finishedMs, @durationMs, @record, @updatedMs)
    ON CONFLICT (id) DO UPDATE SET environment = excluded.environment, status = excluded.status,
      is_check = excluded.is_check, started_ms = excluded.started_ms, finished_ms = excluded.finished_ms,
      duration_ms = excluded.duration_ms, record = excluded.record, updated_ms = excluded.updated_ms`,
  getRun: 'SELECT record FROM deployments WHERE id = ?',
  listRuns: `SELECT record FROM deployments
    WHERE (@environment IS NULL OR environment = @environment) AND (@status IS NULL OR status = @status)
    ORDER BY started_ms DESC, id DESC LIMIT @limit`,
  finishedRuns: `SELECT id, environment, status, duration_ms AS durationMs, COALESCE(finished_ms, started_ms + COALESCE(duration_ms, 0)) AS finishedAtMs
    FROM deployments WHERE is_check = 0 AND status != 'running' ORDER BY finishedAtMs ASC, id ASC`,
  lastPerEnvironment: `SELECT record FROM (
      SELECT record, environment, ROW_NUMBER() OVER (PARTITION BY environment ORDER BY started_ms DESC, id DESC) AS rn
      FROM deployments WHERE is_check = 0)
    WHERE rn = 1 ORDER BY environment`,
  runningPerEnvironment: `SELECT environment, SUM(status = 'running' AND is_check = 0) AS running
    FROM deployments GROUP BY environment ORDER BY environment`,
  environments: 'SELECT DISTINCT environment FROM deployments ORDER BY environment',
  getAlert: 'SELECT status, starts_ms AS startsMs FROM alerts WHERE fingerprint = ?',
  upsertAlert: `INSERT INTO alerts (fingerprint, status, starts_ms, row) VALUES (@fingerprint, @status, @startsMs, @row)
    ON CONFLICT (fingerprint) DO UPDATE SET status = excluded.status, starts_ms = excluded.starts_ms, row = excluded.row`,
  activeAlerts: "SELECT row FROM alerts WHERE status = 'firing' ORDER BY starts_ms DESC",
  allAlerts: 'SELECT row FROM alerts ORDER BY starts_ms DESC',
  upsertDrift: `INSERT INTO drift (environment, state) VALUES (@environment, @state)
    ON CONFLICT (environment) DO UPDATE SET state = excluded.state`,
  getDrift: 'SELECT state FROM drift WHERE environment = ?',
  listDrift: 'SELECT state FROM drift ORDER BY environment',
} as const;

/** Open (creating if needed) the dashboard's SQLite file. */
export function openSqliteStore(file: string): DashboardStore {
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw userError(`cannot open the database ${file}: ${(err as Error).message}`);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const stmt = Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, db.prepare(sql)])) as {
    [K in keyof typeof SQL]: Database.Statement;
  };

  const saveRun = db.transaction((record: RunRecord, receivedAt: Date): SaveRunResult => {
    const existing = stmt.runStatus.get(record.id) as { status: RunStatus } | undefined;
    const previous = existing?.status;
    // The start post can arrive after the finish post (a slow network): keep the finished one.
    if (previous !== undefined && previous !== 'running' && record.status === 'running') {
      return { outcome: 'ignored', previous };
    }
    stmt.upsertRun.run({
      id: record.id,
      environment: record.environment,
      status: record.status,
      isCheck: record.check ? 1 : 0,
      startedMs: Date.parse(record.startedAt),
      finishedMs: record.finishedAt === undefined ? null : Date.parse(record.finishedAt),
      durationMs: runDurationMs(record),
      record: JSON.stringify(record),
      updatedMs: receivedAt.getTime(),
    });
    return previous === undefined ? { outcome: 'created' } : { outcome: 'updated', previous };
  });

  const saveAlert = db.transaction((alert: AlertRow) => {
    const existing = stmt.getAlert.get(alert.fingerprint) as { status: string; startsMs: number } | undefined;
    const startsMs = Date.parse(alert.startsAt);
    // A repeat or retried "firing" for an episode already resolved must not reopen it;
    // a new episode of the same alert starts later.
    if (existing?.status === 'resolved' && alert.status === 'firing' && startsMs <= existing.startsMs) {
      return 'ignored' as const;
    }
    stmt.upsertAlert.run({ fingerprint: alert.fingerprint, status: alert.status, startsMs, row: JSON.stringify(alert) });
    return existing === undefined ? ('created' as const) : ('updated' as const);
  });

  const records = (rows: unknown[]) => rows.map((r) => JSON.parse((r as { record: string }).record) as RunRecord);
  const drifts = (rows: unknown[]) => rows.map((r) => JSON.parse((r as { state: string }).state) as DriftState);
  const alerts = (rows: unknown[]) => rows.map((r) => JSON.parse((r as { row: string }).row) as AlertRow);

  return {
    saveRun: (record, receivedAt) => saveRun(record, receivedAt),
    getRun: (id) => records(stmt.getRun.all(id))[0],
    listRuns: (filter: RunFilter) =>
      records(stmt.listRuns.all({ environment: filter.environment ?? null, status: filter.status ?? null, limit: filter.limit })),
    finishedRuns: () => stmt.finishedRuns.all() as FinishedRun[],
    lastRunPerEnvironment: () => records(stmt.lastPerEnvironment.all()),
    runningPerEnvironment: () =>
      new Map((stmt.runningPerEnvironment.all() as { environment: string; running: number }[]).map((r) => [r.environment, r.running])),
    environments: () => (stmt.environments.all() as { environment: string }[]).map((r) => r.environment),
    saveAlert: (alert) => saveAlert(alert),
    listAlerts: ({ includeResolved }) => alerts((includeResolved ? stmt.allAlerts : stmt.activeAlerts).all()),
    saveDrift: (state) => void stmt.upsertDrift.run({ environment: state.environment, state: JSON.stringify(state) }),
    getDrift: (environment) => drifts(stmt.getDrift.all(environment))[0],
    listDrift: () => drifts(stmt.listDrift.all()),
    close: () => db.close(),
  };
}

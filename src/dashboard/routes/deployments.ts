import { Router, type RequestHandler } from 'express';
import type { HostStatus, RunRecord, RunStatus } from '../../journal/record.js';
import { plainQuery } from '../http.js';
import { postJson } from '../json-post.js';
import type { DashboardMetrics } from '../metrics.js';
import { RUN_STATUSES, RunRecordSchema } from '../run-record-schema.js';
import { computeStats } from '../stats.js';
import { runDurationMs, type DashboardStore } from '../store.js';
import { compileParser } from '../validate.js';

/** A row of the history: the record without its task lists. */
export interface DeploymentSummary {
  id: string;
  environment: string;
  playbook: string;
  version: string | null;
  user: string;
  reason: string | null;
  check: boolean;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  rollbackOf: string | null;
  /** tasks changed over all hosts */
  changed: number;
  hosts: { host: string; status: HostStatus; changed: number }[];
}

export function summarizeRun(r: RunRecord): DeploymentSummary {
  return {
    id: r.id,
    environment: r.environment,
    playbook: r.playbook,
    version: r.version ?? null,
    user: r.user,
    reason: r.reason ?? null,
    check: r.check,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt ?? null,
    durationMs: runDurationMs(r),
    rollbackOf: r.rollbackOf ?? null,
    changed: r.hosts.reduce((n, h) => n + h.counts.changed, 0),
    hosts: r.hosts.map((h) => ({ host: h.host, status: h.status, changed: h.counts.changed })),
  };
}

const MAX_LIMIT = 500;
const parseRun = compileParser(RunRecordSchema);

export interface DeploymentRoutes {
  store: DashboardStore;
  metrics: DashboardMetrics;
  canRead: RequestHandler;
  canWrite: RequestHandler;
}

export function deploymentRoutes({ store, metrics, canRead, canWrite }: DeploymentRoutes): Router {
  const router = Router();

  postJson(router, '/api/deployments', canWrite, parseRun, 'run record', (record, res) => {
    const result = store.saveRun(record, new Date());
    const justFinished = result.outcome !== 'ignored' && record.status !== 'running' && (result.previous ?? 'running') === 'running';
    if (justFinished) metrics.deploymentFinished(record);
    res.status(result.outcome === 'created' ? 201 : 200).json({ id: record.id, outcome: result.outcome });
  });

  router.get('/api/deployments', canRead, plainQuery('env', 'status', 'limit'), (req, res) => {
    const { env, status, limit } = req.query;
    const problems: string[] = [];
    if (status !== undefined && !RUN_STATUSES.includes(status as RunStatus)) {
      problems.push(`status must be one of: ${RUN_STATUSES.join(', ')}`);
    }
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) problems.push(`limit must be an integer from 1 to ${MAX_LIMIT}`);
    if (problems.length > 0) {
      res.status(400).json({ error: problems.join('; ') });
      return;
    }
    const runs = store.listRuns({ environment: env as string | undefined, status: status as RunStatus | undefined, limit: n });
    res.json({ deployments: runs.map(summarizeRun) });
  });

  router.get('/api/deployments/:id', canRead, (req, res) => {
    const run = store.getRun(String(req.params.id));
    if (!run) {
      res.status(404).json({ error: `no deployment with id ${String(req.params.id)}` });
      return;
    }
    res.json({ ...run, durationMs: runDurationMs(run) ?? undefined });
  });

  router.get('/api/stats', canRead, plainQuery(), (_req, res) => {
    const running = [...store.runningPerEnvironment().values()].reduce((a, b) => a + b, 0);
    res.json(computeStats(store.finishedRuns(), running, store.lastRunPerEnvironment()));
  });

  return router;
}

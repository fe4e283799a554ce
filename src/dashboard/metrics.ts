import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunRecord, RunStatus } from '../journal/record.js';
import { runDurationMs, type DashboardStore } from './store.js';

/** Buckets in seconds: a deploy takes from seconds to tens of minutes; DeploymentSlow looks at the top ones. */
const DURATION_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

export interface DashboardMetrics {
  registry: Registry;
  /** Count a deployment that has just finished (called once per run, on its first finished post). */
  deploymentFinished(record: RunRecord): void;
}

/**
 * One registry per dashboard instance (tests start several). Counters and
 * the histogram are seeded from the store at startup, so a restart does not
 * look like a reset to Prometheus' `increase()`; the gauges are read from the
 * store at scrape time.
 */
export function createMetrics(store: DashboardStore): DashboardMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const total = new Counter({
    name: 'rosey_deployments_total',
    help: 'Finished deployments (not --check runs), by environment and final status.',
    labelNames: ['env', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'rosey_deployment_duration_seconds',
    help: 'Duration of finished deployments.',
    labelNames: ['env'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'rosey_last_deployment_timestamp_seconds',
    help: 'Unix time the last deployment of the environment finished.',
    labelNames: ['env'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const last = new Map<string, number>();
      for (const r of store.finishedRuns()) last.set(r.environment, Math.max(last.get(r.environment) ?? 0, r.finishedAtMs));
      for (const [env, ms] of last) this.set({ env }, ms / 1000);
    },
  });
  new Gauge({
    name: 'rosey_deployment_in_progress',
    help: 'Deployments of the environment that started and have not finished (1 while rosey-apply runs).',
    labelNames: ['env'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [env, n] of store.runningPerEnvironment()) this.set({ env }, n);
    },
  });

  driftGauges(registry, store);

  const count = (env: string, status: Exclude<RunStatus, 'running'>, durationMs: number | null) => {
    total.inc({ env, status });
    if (durationMs !== null) duration.observe({ env }, durationMs / 1000);
  };
  for (const r of store.finishedRuns()) count(r.environment, r.status, r.durationMs);

  return {
    registry,
    deploymentFinished(record) {
      if (record.check || record.status === 'running') return;
      count(record.environment, record.status, runDurationMs(record));
    },
  };
}

/** Read at scrape time from the stored drift states (drift.yml posts them). */
function driftGauges(registry: Registry, store: DashboardStore): void {
  new Gauge({
    name: 'rosey_environment_drift',
    help: 'Whether the last drift check of the environment found changes to make (1) or none (0); a failed check keeps the last answer.',
    labelNames: ['env'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const d of store.listDrift()) if (d.drifted !== null) this.set({ env: d.environment }, d.drifted ? 1 : 0);
    },
  });
  new Gauge({
    name: 'rosey_environment_last_match_timestamp_seconds',
    help: 'Unix time a drift check last found the environment matching its playbooks.',
    labelNames: ['env'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const d of store.listDrift()) if (d.lastMatchAt) this.set({ env: d.environment }, Date.parse(d.lastMatchAt) / 1000);
    },
  });
  new Gauge({
    name: 'rosey_environment_drift_checked_timestamp_seconds',
    help: 'Unix time the last drift check of the environment finished (failed checks included).',
    labelNames: ['env'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const d of store.listDrift()) this.set({ env: d.environment }, Date.parse(d.checkedAt) / 1000);
    },
  });
}

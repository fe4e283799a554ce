import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRecord, startDashboard, startOf, type Running } from './builders.js';

let d: Running;
beforeEach(async () => {
  d = await startDashboard();
});
afterEach(async () => {
  await d.stop();
});

/** The value of one sample line of the Prometheus text format, e.g. `rosey_deployments_total{env="prod",status="ok"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('counts finished deployments by env and status, once per run, and not --check runs', async () => {
    const run = runRecord({ environment: 'prod', durationMs: 90_000, finishedAt: '2026-11-24T13:00:00.000Z' });
    await d.post('/api/deployments', startOf(run));
    await d.post('/api/deployments', run);
    await d.post('/api/deployments', run); // a retried finish post
    await d.post('/api/deployments', runRecord({ environment: 'prod', status: 'failed', durationMs: 700_000 }));
    await d.post('/api/deployments', runRecord({ environment: 'prod', check: true }));

    const res = await d.get('/metrics');
    expect(res.status).toBe(200);
    expect(sample(res.text, 'rosey_deployments_total{env="prod",status="ok"}')).toBe(1);
    expect(sample(res.text, 'rosey_deployments_total{env="prod",status="failed"}')).toBe(1);
    expect(sample(res.text, 'rosey_deployment_duration_seconds_count{env="prod"}')).toBe(2);
    expect(sample(res.text, 'rosey_deployment_duration_seconds_sum{env="prod"}')).toBe(790);
    expect(sample(res.text, 'rosey_deployment_duration_seconds_bucket{le="120",env="prod"}')).toBe(1);
    expect(sample(res.text, 'rosey_deployment_duration_seconds_bucket{le="900",env="prod"}')).toBe(2);
    expect(sample(res.text, 'rosey_last_deployment_timestamp_seconds{env="prod"}')).toBeGreaterThanOrEqual(Date.parse('2026-11-24T13:00:00.000Z') / 1000);
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  it('shows a deployment in progress between its start and finish posts', async () => {
    const run = runRecord({ environment: 'test' });
    await d.post('/api/deployments', startOf(run));
    expect(sample((await d.get('/metrics')).text, 'rosey_deployment_in_progress{env="test"}')).toBe(1);
    await d.post('/api/deployments', run);
    expect(sample((await d.get('/metrics')).text, 'rosey_deployment_in_progress{env="test"}')).toBe(0);
  });

  it('carries the counts over a restart, so Prometheus sees no counter reset', async () => {
    await d.post('/api/deployments', runRecord({ environment: 'prod' }));
    await d.stop({ keepFiles: true });
    d = await startDashboard({ dir: d.dir });
    const text = (await d.get('/metrics')).text;
    expect(sample(text, 'rosey_deployments_total{env="prod",status="ok"}')).toBe(1);
    expect(sample(text, 'rosey_deployment_duration_seconds_count{env="prod"}')).toBe(1);
  });
});

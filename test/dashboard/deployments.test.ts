import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/journal/record.js';
import type { DeploymentSummary } from '../../src/dashboard/routes/deployments.js';
import type { DeploymentStats } from '../../src/dashboard/stats.js';
import { hostRecord, runRecord, startDashboard, startOf, type Running } from './builders.js';

let d: Running;
beforeEach(async () => {
  d = await startDashboard();
});
afterEach(async () => {
  await d.stop();
});

const list = async (query = '') => ((await d.get(`/api/deployments${query}`)).json as { deployments: DeploymentSummary[] }).deployments;

describe('deployment history', () => {
  it('stores a posted run and returns it whole by id', async () => {
    const run = runRecord({ environment: 'prod', rollbackOf: '20261123T100000Z-abcdef' });
    expect((await d.post('/api/deployments', run)).status).toBe(201);
    const back = await d.get(`/api/deployments/${run.id}`);
    expect(back.status).toBe(200);
    expect(back.json).toEqual(run);
  });

  it('lists runs newest first with per-host results and the changed count', async () => {
    const older = runRecord({ startedAt: '2026-11-20T10:00:00.000Z' });
    const newer = runRecord({ startedAt: '2026-11-21T10:00:00.000Z', hosts: [hostRecord(), hostRecord({ host: 'bot2.test', status: 'ok' })] });
    await d.post('/api/deployments', older);
    await d.post('/api/deployments', newer);
    const rows = await list();
    expect(rows.map((r) => r.id)).toEqual([newer.id, older.id]);
    expect(rows[0]).toMatchObject({ changed: 4, durationMs: 60_000, user: 'alice', version: '1.4.0', hosts: [{ host: 'bot1.test', status: 'changed', changed: 2 }, { host: 'bot2.test', status: 'ok' }] });
  });

  it('updates the start post with the finish post of the same run id', async () => {
    const run = runRecord({ status: 'failed' });
    expect((await d.post('/api/deployments', startOf(run))).json).toEqual({ id: run.id, outcome: 'created' });
    expect((await list())[0]?.status).toBe('running');
    const finish = await d.post('/api/deployments', run);
    expect(finish).toMatchObject({ status: 200, json: { outcome: 'updated' } });
    const rows = await list();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('failed');
  });

  it('keeps the finished run when its start post arrives late', async () => {
    const run = runRecord();
    await d.post('/api/deployments', run);
    expect((await d.post('/api/deployments', startOf(run))).json).toMatchObject({ outcome: 'ignored' });
    expect((await d.get(`/api/deployments/${run.id}`)).json).toMatchObject({ status: 'ok' });
  });

  it('filters by environment and status', async () => {
    await d.post('/api/deployments', runRecord({ environment: 'prod', status: 'ok' }));
    await d.post('/api/deployments', runRecord({ environment: 'prod', status: 'failed' }));
    await d.post('/api/deployments', runRecord({ environment: 'test', status: 'failed' }));
    expect((await list('?env=prod')).map((r) => r.environment)).toEqual(['prod', 'prod']);
    expect((await list('?env=prod&status=failed')).map((r) => [r.environment, r.status])).toEqual([['prod', 'failed']]);
    expect(await list('?env=staging')).toEqual([]);
  });

  it('refuses an unknown status filter and answers 404 for an unknown id', async () => {
    expect(await d.get('/api/deployments?status=great')).toMatchObject({ status: 400, json: { error: expect.stringContaining('status must be one of') } });
    expect((await d.get('/api/deployments/nope')).status).toBe(404);
  });

  it('refuses filters given as arrays or objects, repeated, or misspelt, instead of listing everything', async () => {
    await d.post('/api/deployments', runRecord({ environment: 'prod', status: 'ok' }));
    for (const q of ['?env[]=prod', '?env[$ne]=x', '?env=prod&env=test', '?enviroment=prod', '?status[]=ok']) {
      const r = await d.get(`/api/deployments${q}`);
      expect(r.status, q).toBe(400);
    }
    expect((await d.get('/api/alerts?all[$ne]=0')).status).toBe(400);
  });

  it('keeps the history across a restart (a real SQLite file)', async () => {
    const run = runRecord();
    await d.post('/api/deployments', run);
    await d.stop({ keepFiles: true });
    d = await startDashboard({ dir: d.dir });
    expect((await list()).map((r) => r.id)).toEqual([run.id]);
  });
});

describe('GET /api/stats', () => {
  it('counts deployments, success rate, failures, mean and p95, last per environment; ignores --check runs', async () => {
    const durations = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 1000];
    const runs: RunRecord[] = durations.map((s, i) =>
      runRecord({ durationMs: s * 1000, status: i % 5 === 4 ? 'failed' : i === 18 ? 'unreachable' : 'ok', environment: i % 2 ? 'prod' : 'test' }),
    );
    for (const r of runs) await d.post('/api/deployments', r);
    await d.post('/api/deployments', runRecord({ check: true, status: 'failed', environment: 'prod' }));
    const inFlight = runRecord({ environment: 'prod' });
    await d.post('/api/deployments', startOf(inFlight));

    const stats = (await d.get('/api/stats')).json as DeploymentStats;
    // failed: i = 4, 9, 14, 19; unreachable: i = 18
    expect(stats).toMatchObject({ total: 21, running: 1, succeeded: 15, failures: 5, successRate: 0.75 });
    expect(stats.meanDurationMs).toBe(((1900 + 1000) / 20) * 1000); // 10+20+…+190 = 1900, plus the 1000 s outlier
    expect(stats.p95DurationMs).toBe(190_000); // nearest rank: the 19th of 20
    expect(stats.lastPerEnvironment.prod).toMatchObject({ id: inFlight.id, status: 'running' });
    expect(stats.lastPerEnvironment.test).toMatchObject({ id: runs[18]?.id, status: 'unreachable' });
  });

  it('reports no rate and no durations before any deployment', async () => {
    expect((await d.get('/api/stats')).json).toEqual({
      total: 0, running: 0, succeeded: 0, failures: 0, successRate: null, meanDurationMs: null, p95DurationMs: null, lastPerEnvironment: {},
    });
  });
});

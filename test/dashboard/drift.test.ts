import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DriftState } from '../../src/dashboard/drift.js';
import { hostRecord, runRecord, startDashboard, type Running } from './builders.js';

let d: Running;
beforeEach(async () => {
  d = await startDashboard();
});
afterEach(async () => {
  await d.stop();
});

const at = (h: number) => new Date(Date.UTC(2026, 10, 27, h)).toISOString();
const quiet = (h: number, environment = 'prod') =>
  runRecord({ environment, check: true, startedAt: at(h), finishedAt: at(h), durationMs: 1000, hosts: [hostRecord({ host: 'bot1.prod', status: 'ok', counts: { ok: 9, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }, tasks: [] })] });
const drifted = (h: number) => runRecord({ environment: 'prod', check: true, startedAt: at(h), finishedAt: at(h), durationMs: 1000 });
const failed = (h: number) => runRecord({ environment: 'prod', check: true, status: 'unreachable', startedAt: at(h), finishedAt: at(h), durationMs: 1000, hosts: [hostRecord({ host: 'bot1.prod', status: 'unreachable', tasks: [] })] });

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function driftOf(env: string): Promise<DriftState | undefined> {
  return ((await d.get('/api/drift')).json as { environments: DriftState[] }).environments.find((e) => e.environment === env);
}

describe('drift checks (POST /api/drift from scripts/ci/drift.sh)', () => {
  it('a quiet check matches; a check with changes is drift, naming host, task and changes, and keeps when it last matched', async () => {
    expect((await d.post('/api/drift', quiet(1))).status).toBe(200);
    expect(await driftOf('prod')).toMatchObject({ status: 'match', drifted: false, lastMatchAt: at(1), tasks: [] });
    await d.post('/api/drift', drifted(2));
    const state = await driftOf('prod');
    expect(state).toMatchObject({ status: 'drift', drifted: true, lastMatchAt: at(1), checkedAt: at(2) });
    expect(state?.tasks).toEqual([
      { host: 'bot1.test', task: 'Install the release', source: 'roles/bot/tasks/main.yml:12:3', changes: ['new release 1.4.0'] },
      { host: 'bot1.test', task: 'Write bot config', source: 'roles/bot/tasks/main.yml:20:3', changes: ['update /etc/rosey/bot.json'] },
    ]);
  });

  it('a failed check says nothing new: the last answer and its tasks stay, the check time moves', async () => {
    await d.post('/api/drift', drifted(2));
    await d.post('/api/drift', failed(3));
    expect(await driftOf('prod')).toMatchObject({ status: 'failed', drifted: true, checkedAt: at(3), lastMatchAt: null });
    expect((await driftOf('prod'))?.tasks).toHaveLength(2);
  });

  it('an older check posted late does not overwrite a newer answer', async () => {
    await d.post('/api/drift', quiet(5));
    const late = await d.post('/api/drift', drifted(4));
    expect((late.json as { outcome: string }).outcome).toBe('ignored');
    expect((await driftOf('prod'))?.status).toBe('match');
  });

  it('refuses a deployment (not --check), a running record, a bad body, and a post without the token', async () => {
    expect((await d.post('/api/drift', runRecord({ environment: 'prod' }))).status).toBe(400);
    expect((await d.post('/api/drift', { ...quiet(1), status: 'running' })).status).toBe(400);
    expect((await d.post('/api/drift', { environment: 'prod' })).status).toBe(400);
    expect((await d.request('POST', '/api/drift', quiet(1), null)).status).toBe(401);
    expect(await driftOf('prod')).toBeUndefined();
  });

  it('is not a deployment: the history and the deployment counters do not see it', async () => {
    await d.post('/api/drift', drifted(2));
    expect(((await d.get('/api/deployments')).json as { deployments: unknown[] }).deployments).toEqual([]);
    expect((await d.get('/metrics')).text).not.toMatch(/^rosey_deployments_total\{/m);
  });

  it('exports rosey_environment_drift, the last match and the last check time per environment', async () => {
    await d.post('/api/drift', quiet(1, 'test'));
    await d.post('/api/drift', quiet(1));
    await d.post('/api/drift', drifted(2));
    const text = (await d.get('/metrics')).text;
    expect(sample(text, 'rosey_environment_drift{env="prod"}')).toBe(1);
    expect(sample(text, 'rosey_environment_drift{env="test"}')).toBe(0);
    expect(sample(text, 'rosey_environment_last_match_timestamp_seconds{env="prod"}')).toBe(Date.parse(at(1)) / 1000);
    expect(sample(text, 'rosey_environment_drift_checked_timestamp_seconds{env="prod"}')).toBe(Date.parse(at(2)) / 1000);
  });

  it('the status API carries each environment\'s drift (and lists an environment known only from drift checks)', async () => {
    await d.post('/api/drift', drifted(2));
    const envs = ((await d.get('/api/status')).json as { environments: { name: string; drift: DriftState | null }[] }).environments;
    expect(envs.find((e) => e.name === 'prod')?.drift?.status).toBe('drift');
  });
});

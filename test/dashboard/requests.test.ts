import { afterEach, describe, expect, it } from 'vitest';
import { runRecord, startDashboard, TOKEN, type Running } from './builders.js';

let d: Running | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
});

describe('bad POST bodies', () => {
  it('names the field that is wrong, and every one of them', async () => {
    d = await startDashboard();
    const run = runRecord() as unknown as Record<string, unknown>;
    const { user: _user, ...noUser } = run;
    const bad = { ...noUser, status: 'done', startedAt: 'yesterday', hosts: [{ ...(run.hosts as object[])[0], status: 'great' }] };
    const res = await d.post('/api/deployments', bad);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error: expect.stringMatching(/^invalid run record: /),
      errors: expect.arrayContaining([
        { field: '/user', message: 'is required' },
        { field: '/status', message: 'must be one of: running, ok, failed, unreachable' },
        { field: '/startedAt', message: expect.stringContaining('ISO 8601') },
        { field: '/hosts/0/status', message: 'must be one of: ok, changed, failed, unreachable' },
      ]),
    });
    expect((res.json as { error: string }).error).toContain('hosts/0/status must be one of');
    expect((await d.get('/api/deployments')).json).toEqual({ deployments: [] });
  });

  it('refuses a run id that could not be used in a URL', async () => {
    d = await startDashboard();
    const res = await d.post('/api/deployments', runRecord({ id: '../../etc/passwd' }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ errors: [{ field: '/id' }] });
  });

  it('answers 400 to malformed JSON, 415 to a non-JSON body and 413 to one over the size limit', async () => {
    d = await startDashboard();
    expect(await d.post('/api/deployments', '{"id":')).toMatchObject({ status: 400, json: { error: expect.stringContaining('not valid JSON') } });
    const form = await fetch(`${d.url}/api/deployments`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body: 'hello' });
    expect(form.status).toBe(415);
    const huge = runRecord({ reason: 'x'.repeat(2 * 1024 * 1024) });
    expect(await d.post('/api/deployments', huge)).toMatchObject({ status: 413, json: { error: expect.stringContaining('limit') } });
  });

  it('refuses an Alertmanager payload of another version, naming the field', async () => {
    d = await startDashboard();
    const res = await d.post('/api/alerts', { version: '3', status: 'firing', alerts: [] });
    expect(res).toMatchObject({ status: 400, json: { errors: [{ field: '/version' }] } });
  });
});

describe('the write token', () => {
  it('refuses writes without a token or with a wrong one, and accepts the right one', async () => {
    d = await startDashboard();
    const run = runRecord();
    expect(await d.request('POST', '/api/deployments', run, null)).toMatchObject({ status: 401, json: { error: expect.stringContaining('Bearer') } });
    expect((await d.request('POST', '/api/deployments', run, 'wrong-token')).status).toBe(401);
    expect((await d.request('POST', '/api/alerts', { version: '4', status: 'firing', alerts: [] }, null)).status).toBe(401);
    expect((await d.get('/api/deployments')).json).toEqual({ deployments: [] });
    expect((await d.request('POST', '/api/deployments', run, TOKEN)).status).toBe(201);
  });

  it('refuses every write when the dashboard has no token (fail closed)', async () => {
    d = await startDashboard({ token: undefined });
    const res = await d.request('POST', '/api/deployments', runRecord(), 'anything');
    expect(res).toMatchObject({ status: 403, json: { error: expect.stringContaining('ROSEY_DASHBOARD_TOKEN') } });
  });

  it('serves reads publicly by default', async () => {
    d = await startDashboard();
    expect((await d.request('GET', '/api/stats', undefined, null)).status).toBe(200);
    expect((await d.request('GET', '/metrics', undefined, null)).status).toBe(200);
  });

  it('puts reads behind the token with public_reads: false, but not the page itself', async () => {
    d = await startDashboard({ config: { publicReads: false } });
    for (const path of ['/api/status', '/api/deployments', '/api/stats', '/api/alerts', '/metrics']) {
      expect((await d.request('GET', path, undefined, null)).status, path).toBe(401);
      expect((await d.request('GET', path, undefined, TOKEN)).status, path).toBe(200);
    }
    const page = await d.request('GET', '/', undefined, null);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Rosey');
  });
});

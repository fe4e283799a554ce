import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deploymentsEndpoint, postRunToDashboard } from '../../src/journal/dashboard-client.js';
import { runRecord, startDashboard, startOf, TOKEN, type Running } from './builders.js';

let d: Running | undefined;
let server: Server | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
  if (server) {
    server.closeAllConnections();
    await new Promise((r) => server?.close(r));
    server = undefined;
  }
});

describe('postRunToDashboard', () => {
  it('records the start and the finish of a run on a real dashboard, logging nothing', async () => {
    d = await startDashboard();
    const logs: string[] = [];
    const run = runRecord({ environment: 'prod' });
    await postRunToDashboard(d.url, TOKEN, startOf(run), (m) => logs.push(m));
    expect((await d.get(`/api/deployments/${run.id}`)).json).toMatchObject({ status: 'running' });
    await postRunToDashboard(`${d.url}/api/deployments`, TOKEN, run, (m) => logs.push(m));
    expect((await d.get(`/api/deployments/${run.id}`)).json).toMatchObject({ status: 'ok', durationMs: 60_000 });
    expect(logs).toEqual([]);
  });

  it('logs a refusal (wrong token) without throwing', async () => {
    d = await startDashboard();
    const logs: string[] = [];
    await postRunToDashboard(d.url, 'wrong', runRecord(), (m) => logs.push(m));
    expect(logs).toEqual([expect.stringMatching(/refused run .* HTTP 401 a valid "Authorization: Bearer <token>" header is required/)]);
  });

  it('logs and returns when nothing listens on the port', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const logs: string[] = [];
    await expect(postRunToDashboard(`http://127.0.0.1:${port}`, TOKEN, runRecord(), (m) => logs.push(m))).resolves.toBeUndefined();
    expect(logs).toEqual([expect.stringContaining('unreachable (ECONNREFUSED)')]);
  });

  it('gives up on a dashboard that does not answer in time', async () => {
    server = createServer(() => {
      // never answers
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const logs: string[] = [];
    const started = Date.now();
    await postRunToDashboard(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, TOKEN, runRecord(), (m) => logs.push(m), 300);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(logs).toEqual([expect.stringContaining('no answer within 0.3 s')]);
  });

  it('skips the post and says why when no token is set', async () => {
    const logs: string[] = [];
    await postRunToDashboard('http://127.0.0.1:9', undefined, runRecord(), (m) => logs.push(m));
    expect(logs).toEqual([expect.stringContaining('ROSEY_DASHBOARD_TOKEN is not set')]);
  });

  it('accepts the base URL or the endpoint', () => {
    expect(deploymentsEndpoint('http://ops:5000').href).toBe('http://ops:5000/api/deployments');
    expect(deploymentsEndpoint('http://ops:5000/dash/').href).toBe('http://ops:5000/dash/api/deployments');
    expect(deploymentsEndpoint('http://ops:5000/api/deployments').href).toBe('http://ops:5000/api/deployments');
  });
});

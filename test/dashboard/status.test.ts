import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { BotStatus } from '../../src/dashboard/health-poller.js';
import { runRecord, startDashboard, type Running } from './builders.js';

interface EnvStatus {
  name: string;
  bots: BotStatus[];
  lastDeployment: { id: string } | null;
  inProgress: number;
}

const servers: Server[] = [];
let d: Running | undefined;
afterEach(async () => {
  await d?.stop();
  d = undefined;
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A stand-in bot on 127.0.0.1 answering /api/health with `status` and `body`, after `delayMs`. */
async function fakeBot(status: number, body: unknown, delayMs = 0): Promise<string> {
  const server = createServer((_req, res) => {
    setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)), delayMs);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`;
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}/api/health`;
}

const healthy = { status: 'ok', connected: true, channel: 'rosey', uptime: 3600, version: '1.4.0', user_count: 12, requests: 40, errors: 1 };

describe('GET /api/status', () => {
  it("shows each bot's health: connected, disconnected (503), unreachable and timed out", async () => {
    const up = await fakeBot(200, healthy);
    const down = await fakeBot(503, { ...healthy, status: 'disconnected', connected: false });
    const gone = await closedPort();
    const slow = await fakeBot(200, healthy, 5_000);
    d = await startDashboard({
      config: { environments: [{ name: 'prod', bots: [{ name: 'bot-a', url: up }, { name: 'bot-b', url: down }, { name: 'bot-c', url: gone }, { name: 'bot-d', url: slow }] }], pollTimeoutMs: 2_000 },
    });
    await d.dashboard.poller.pollNow();
    const [prod] = ((await d.get('/api/status')).json as { environments: EnvStatus[] }).environments;
    expect(prod?.name).toBe('prod');
    expect(prod?.bots.map((b) => [b.name, b.state])).toEqual([['bot-a', 'up'], ['bot-b', 'down'], ['bot-c', 'unreachable'], ['bot-d', 'unreachable']]);
    expect(prod?.bots[0]).toMatchObject({ health: { connected: true, channel: 'rosey', version: '1.4.0', uptimeSeconds: 3600, users: 12, requests: 40, errors: 1 } });
    expect(prod?.bots[1]).toMatchObject({ httpStatus: 503, health: { connected: false, status: 'disconnected' } });
    expect(prod?.bots[2]).toMatchObject({ error: 'ECONNREFUSED' });
    expect(prod?.bots[3]).toMatchObject({ error: 'timed out' });
  });

  it('answers at once while a poll is still waiting on a slow bot', async () => {
    const slow = await fakeBot(200, healthy, 2_000);
    d = await startDashboard({ config: { environments: [{ name: 'test', bots: [{ name: 'slow', url: slow }] }], pollTimeoutMs: 5_000 } });
    const started = Date.now();
    const res = await d.get('/api/status');
    expect(Date.now() - started).toBeLessThan(500);
    expect((res.json as { environments: EnvStatus[] }).environments[0]?.bots[0]).toMatchObject({ state: 'pending', checkedAt: null });
  });

  it('lists environments known only from deployments, with their last deployment', async () => {
    d = await startDashboard();
    const run = runRecord({ environment: 'local' });
    await d.post('/api/deployments', run);
    const envs = ((await d.get('/api/status')).json as { environments: EnvStatus[] }).environments;
    expect(envs).toEqual([expect.objectContaining({ name: 'local', bots: [], inProgress: 0, lastDeployment: expect.objectContaining({ id: run.id }) })]);
  });
});

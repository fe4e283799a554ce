import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from './log.js';
import type { BotMetrics } from './metrics.js';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  connected: boolean;
  channel: string;
  uptime: number;
  version: string;
  /** Logged-in users, from the channel's user list. */
  user_count: number;
  /** The server's own count (anonymous viewers too, up to 10 s old); null until known or while disconnected. */
  server_user_count: number | null;
  /** The bot is muted in the channel: its replies are lost. */
  muted: boolean;
  requests: number;
  errors: number;
  /** Malformed server frames dropped (also counted in errors). */
  invalid_events: number;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * GET /api/health and GET /metrics. The health handler only reads counters
 * the bot keeps in memory, so it answers at once whatever the connection is
 * doing (connecting, backing off, kicked).
 */
export async function startHealthServer(opts: {
  host: string;
  port: number;
  health: () => HealthReport;
  metrics: BotMetrics;
  log: Logger;
}): Promise<HealthServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/api/health', (_req, res) => {
    const report = opts.health();
    res.status(report.connected ? 200 : 503).set('Cache-Control', 'no-store').json(report);
  });
  app.get('/metrics', async (_req, res) => {
    try {
      const body = await opts.metrics.registry.metrics();
      res.set('Content-Type', opts.metrics.registry.contentType).send(body);
    } catch (err) {
      opts.log.error('metrics collection failed', { error: err });
      res.status(500).send('metrics collection failed\n');
    }
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  const server = app.listen(opts.port, opts.host);
  server.keepAliveTimeout = 5000;
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

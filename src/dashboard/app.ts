import express, { type Express } from 'express';
import { requireReadAccess, requireToken } from './auth.js';
import { DEFAULT_CONFIG, type DashboardConfig } from './config.js';
import { createHealthPoller, type FetchLike, type HealthPoller } from './health-poller.js';
import { errorHandler, securityHeaders } from './http.js';
import { createMetrics, type DashboardMetrics } from './metrics.js';
import { publicDir } from './paths.js';
import { alertRoutes } from './routes/alerts.js';
import { deploymentRoutes } from './routes/deployments.js';
import { driftRoutes } from './routes/drift.js';
import { statusRoutes } from './routes/status.js';
import { openSqliteStore } from './sqlite-store.js';
import type { DashboardStore } from './store.js';

export interface DashboardOptions {
  /** the SQLite file (created if missing) */
  db: string;
  config?: DashboardConfig;
  /** the write token; undefined refuses every write */
  token: string | undefined;
  /** how bots are polled; tests pass a fake */
  fetch?: FetchLike;
  log?: (message: string) => void;
}

export interface Dashboard {
  app: Express;
  store: DashboardStore;
  poller: HealthPoller;
  metrics: DashboardMetrics;
  /** Stop polling and close the database (the HTTP server is the caller's). */
  close(): void;
}

/** The whole dashboard as an express app, with no listening socket: `main.ts` and tests listen. */
export function createDashboard(options: DashboardOptions): Dashboard {
  const config = options.config ?? DEFAULT_CONFIG;
  const log = options.log ?? ((m: string) => console.error(m));
  const store = openSqliteStore(options.db);
  const metrics = createMetrics(store);
  const poller = createHealthPoller(config, options.fetch ?? ((url, init) => fetch(url, init)));
  const canRead = requireReadAccess(config.publicReads, options.token);
  const canWrite = requireToken(options.token);

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(deploymentRoutes({ store, metrics, canRead, canWrite }));
  app.use(alertRoutes(store, canRead, canWrite));
  app.use(driftRoutes(store, canRead, canWrite));
  app.use(statusRoutes(store, poller, canRead));
  app.get('/metrics', canRead, async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'no such API route' });
  });
  // The page and its assets carry no data, so they are served without the read token.
  app.use(express.static(publicDir(), { index: 'index.html', maxAge: '5m' }));
  app.use(errorHandler(log));

  poller.start();
  return {
    app,
    store,
    poller,
    metrics,
    close() {
      poller.stop();
      store.close();
    },
  };
}

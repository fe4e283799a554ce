import { Router, type RequestHandler } from 'express';
import type { HealthPoller } from '../health-poller.js';
import { lastDeployment } from '../stats.js';
import type { DashboardStore } from '../store.js';

/**
 * Every environment the config lists or a deployment named, with its bots'
 * last polled health and its last deployment. Answers from memory: the
 * poller runs on its own timer, so a slow bot never slows this down.
 */
export function statusRoutes(store: DashboardStore, poller: HealthPoller, canRead: RequestHandler): Router {
  const router = Router();
  router.get('/api/status', canRead, (_req, res) => {
    const bots = poller.snapshot();
    const last = new Map(store.lastRunPerEnvironment().map((r) => [r.environment, lastDeployment(r)]));
    const running = store.runningPerEnvironment();
    const drift = new Map(store.listDrift().map((d) => [d.environment, d]));
    const names = [...new Set([...bots.keys(), ...store.environments(), ...drift.keys()])];
    res.json({
      generatedAt: new Date().toISOString(),
      environments: names.map((name) => ({
        name,
        bots: bots.get(name) ?? [],
        lastDeployment: last.get(name) ?? null,
        inProgress: running.get(name) ?? 0,
        drift: drift.get(name) ?? null,
      })),
    });
  });
  return router;
}

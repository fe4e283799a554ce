import { Router, type RequestHandler } from 'express';
import { AlertmanagerPayloadSchema, alertRows } from '../alert-payload.js';
import { plainQuery } from '../http.js';
import { postJson } from '../json-post.js';
import type { DashboardStore } from '../store.js';
import { compileParser } from '../validate.js';

const parsePayload = compileParser(AlertmanagerPayloadSchema);

export function alertRoutes(store: DashboardStore, canRead: RequestHandler, canWrite: RequestHandler): Router {
  const router = Router();

  // Alertmanager's webhook_config, with `http_config.authorization.credentials` set to the token.
  postJson(router, '/api/alerts', canWrite, parsePayload, 'Alertmanager payload', (payload, res) => {
    const counts = { created: 0, updated: 0, ignored: 0 };
    for (const row of alertRows(payload, new Date())) counts[store.saveAlert(row)] += 1;
    res.json({ received: payload.alerts.length, ...counts });
  });

  router.get('/api/alerts', canRead, plainQuery('all'), (req, res) => {
    const all = req.query.all === '1' || req.query.all === 'true';
    res.json({ alerts: store.listAlerts({ includeResolved: all }) });
  });

  return router;
}

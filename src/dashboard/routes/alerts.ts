import express, { Router, type RequestHandler } from 'express';
import { AlertmanagerPayloadSchema, alertRows } from '../alert-payload.js';
import { BODY_LIMIT, plainQuery, requireJson } from '../http.js';
import type { DashboardStore } from '../store.js';
import { compileParser, summarize } from '../validate.js';

const parsePayload = compileParser(AlertmanagerPayloadSchema);

export function alertRoutes(store: DashboardStore, canRead: RequestHandler, canWrite: RequestHandler): Router {
  const router = Router();

  // Alertmanager's webhook_config, with `http_config.authorization.credentials` set to the token.
  router.post('/api/alerts', canWrite, requireJson, express.json({ limit: BODY_LIMIT }), (req, res) => {
    const parsed = parsePayload(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: `invalid Alertmanager payload: ${summarize(parsed.errors)}`, errors: parsed.errors });
      return;
    }
    const counts = { created: 0, updated: 0, ignored: 0 };
    for (const row of alertRows(parsed.value, new Date())) counts[store.saveAlert(row)] += 1;
    res.json({ received: parsed.value.alerts.length, ...counts });
  });

  router.get('/api/alerts', canRead, plainQuery('all'), (req, res) => {
    const all = req.query.all === '1' || req.query.all === 'true';
    res.json({ alerts: store.listAlerts({ includeResolved: all }) });
  });

  return router;
}

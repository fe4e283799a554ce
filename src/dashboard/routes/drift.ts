import { Router, type RequestHandler } from 'express';
import { driftAfter } from '../drift.js';
import { postJson } from '../json-post.js';
import { RunRecordSchema } from '../run-record-schema.js';
import type { DashboardStore } from '../store.js';
import { compileParser } from '../validate.js';

const parseRun = compileParser(RunRecordSchema);

/**
 * Drift checks: scripts/ci/drift.sh posts the record of its `--check`
 * run here (not to /api/deployments: a dry run deploys nothing), and the
 * environment's drift state moves on from it.
 */
export function driftRoutes(store: DashboardStore, canRead: RequestHandler, canWrite: RequestHandler): Router {
  const router = Router();

  postJson(router, '/api/drift', canWrite, parseRun, 'run record', (record, res) => {
    if (!record.check || record.status === 'running') {
      res.status(400).json({ error: 'a drift check is a finished --check run: check must be true and status not running' });
      return;
    }
    const previous = store.getDrift(record.environment);
    // a late post of an older check must not overwrite a newer answer
    if (previous && Date.parse(previous.checkedAt) > Date.parse(record.finishedAt ?? record.startedAt)) {
      res.json({ environment: record.environment, outcome: 'ignored', drift: previous });
      return;
    }
    const state = driftAfter(record, previous);
    store.saveDrift(state);
    res.json({ environment: record.environment, outcome: 'saved', drift: state });
  });

  router.get('/api/drift', canRead, (_req, res) => {
    res.json({ environments: store.listDrift() });
  });

  return router;
}

import express, { type RequestHandler, type Response, type Router } from 'express';
import { BODY_LIMIT, requireJson } from './http.js';
import { summarize, type Parsed } from './validate.js';

/**
 * A write endpoint: the writer's token, a JSON body within BODY_LIMIT and
 * checked by `parse`; a body that fails the check is a 400 naming `what`
 * and every field at fault, and never reaches `handle`.
 */
export function postJson<T>(
  router: Router,
  path: string,
  canWrite: RequestHandler,
  parse: (body: unknown) => Parsed<T>,
  what: string,
  handle: (value: T, res: Response) => void,
): void {
  router.post(path, canWrite, requireJson, express.json({ limit: BODY_LIMIT }), (req, res) => {
    const parsed = parse(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: `invalid ${what}: ${summarize(parsed.errors)}`, errors: parsed.errors });
      return;
    }
    handle(parsed.value, res);
  });
}

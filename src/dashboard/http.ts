import type { ErrorRequestHandler, RequestHandler } from 'express';

export const BODY_LIMIT = '1mb';

/** The page's own assets only; data is rendered with textContent, never as HTML. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  });
  next();
};

/**
 * A list filter takes each of `names` at most once, as plain text. Anything
 * else (`?env[]=a`, `?env[$ne]=x`, `?env=a&env=b`, a misspelt name) is a 400:
 * ignoring it would answer with every row, as if no filter had been asked.
 */
export function plainQuery(...names: string[]): RequestHandler {
  return (req, res, next) => {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(req.query)) {
      if (!names.includes(key)) problems.push(`unknown query parameter "${key}" (allowed: ${names.join(', ') || 'none'})`);
      else if (typeof value !== 'string') problems.push(`${key} must be given once, as plain text`);
    }
    if (problems.length > 0) {
      res.status(400).json({ error: problems.join('; ') });
      return;
    }
    next();
  };
}

/** POST bodies must be JSON: say so instead of failing validation on an empty body. */
export const requireJson: RequestHandler = (req, res, next) => {
  if (!req.is('application/json')) {
    res.status(415).json({ error: 'send the body as JSON (Content-Type: application/json)' });
    return;
  }
  next();
};

/** Body-parser and unexpected errors as JSON; never a stack trace to the client. */
export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (err: { type?: string; status?: number; message?: string }, req, res, _next) => {
    if (err.type === 'entity.too.large') {
      res.status(413).json({ error: `the body is larger than the ${BODY_LIMIT} limit` });
    } else if (err.type === 'entity.parse.failed') {
      res.status(400).json({ error: `the body is not valid JSON: ${err.message ?? ''}` });
    } else if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: err.message ?? 'bad request' });
    } else {
      log(`internal error on ${req.method} ${req.path}: ${err.message ?? String(err)}`);
      res.status(500).json({ error: 'internal error (a bug in rosey-dashboard: see its log)' });
    }
  };
}

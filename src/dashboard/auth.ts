import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of an `Authorization: Bearer` header with the configured token. */
export function bearerMatches(token: string, header: string | undefined): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * Writes always need the token. Without a configured token they are refused
 * (fail closed) rather than open to anyone who can reach the port.
 */
export function requireToken(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (token === undefined) {
      res.status(403).json({ error: 'writes are disabled: the dashboard was started without ROSEY_DASHBOARD_TOKEN' });
      return;
    }
    if (!bearerMatches(token, req.get('authorization'))) {
      res.set('WWW-Authenticate', 'Bearer realm="rosey-dashboard"');
      res.status(401).json({ error: 'a valid "Authorization: Bearer <token>" header is required' });
      return;
    }
    next();
  };
}

/** Reads are public, or need the same token as writes (config `public_reads: false`). */
export function requireReadAccess(publicReads: boolean, token: string | undefined): RequestHandler {
  const guard = requireToken(token);
  return (req, res, next) => (publicReads ? next() : guard(req, res, next));
}

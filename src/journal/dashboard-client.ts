import type { RunRecord } from './record.js';
import { trustExtraCaCerts } from '../shared/extra-ca.js';

/** How long a post may take before the deploy carries on without it. */
export const DASHBOARD_TIMEOUT_MS = 3_000;

/**
 * `rosey_dashboard_url` may be the dashboard's base URL ("http://ops:5000")
 * or the endpoint itself; both post to `/api/deployments`.
 */
export function deploymentsEndpoint(url: string): URL {
  const u = new URL(url);
  if (!u.pathname.replace(/\/+$/, '').endsWith('/api/deployments')) {
    u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/deployments`;
  }
  return u;
}

/**
 * Post a run record (at the start of a run and again at its end, same id).
 * Never throws and never waits more than about 3 s: a dashboard that is
 * down, slow or refusing must not fail or stall a deploy. Problems go to `log`.
 */
export async function postRunToDashboard(
  url: string,
  token: string | undefined,
  record: RunRecord,
  log: (message: string) => void,
  timeoutMs: number = DASHBOARD_TIMEOUT_MS,
): Promise<void> {
  const what = `run ${record.id} (${record.status})`;
  if (token === undefined || token === '') {
    log(`dashboard: ROSEY_DASHBOARD_TOKEN is not set, ${what} not posted to ${url}`);
    return;
  }
  let endpoint: URL;
  try {
    endpoint = deploymentsEndpoint(url);
  } catch {
    log(`dashboard: rosey_dashboard_url is not a URL (${url}), ${what} not posted`);
    return;
  }
  trustExtraCaCerts();
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(record),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) log(`dashboard: ${endpoint.origin} refused ${what}: HTTP ${res.status} ${errorOf(text)}`);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    log(`dashboard: ${endpoint.origin} unreachable (${reason}), ${what} not recorded there`);
  }
}

function errorOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: show the start of it
  }
  return body.slice(0, 200);
}

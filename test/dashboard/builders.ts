import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostRecord, RunRecord } from '../../src/journal/record.js';
import { createDashboard, type Dashboard, type DashboardOptions } from '../../src/dashboard/app.js';
import { DEFAULT_CONFIG, type DashboardConfig } from '../../src/dashboard/config.js';

export const TOKEN = 'test-token-0123456789';

export function hostRecord(overrides: Partial<HostRecord> = {}): HostRecord {
  return {
    host: 'bot1.test',
    status: 'changed',
    counts: { ok: 10, changed: 2, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 },
    tasks: [
      { name: 'Install the release', module: 'release', status: 'changed', source: 'roles/bot/tasks/main.yml:12:3', changes: ['new release 1.4.0'] },
      { name: 'Write bot config', module: 'template', status: 'changed', source: 'roles/bot/tasks/main.yml:20:3', changes: ['update /etc/rosey/bot.json'] },
    ],
    backups: [{ path: '/etc/rosey/bot.json', backup: '/var/backups/rosey/x/etc/rosey/bot.json' }],
    ...overrides,
  };
}

let seq = 0;
/** A finished, successful run; pass what the test is about. */
export function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  seq += 1;
  const startedAt = overrides.startedAt ?? new Date(Date.UTC(2026, 10, 24, 12, seq)).toISOString();
  const durationMs = overrides.durationMs ?? 60_000;
  return {
    id: `20261124T12${String(seq).padStart(4, '0')}Z-${seq.toString(16).padStart(6, '0')}`,
    environment: 'test',
    playbook: 'playbooks/site.yml',
    version: '1.4.0',
    user: 'alice',
    reason: 'release 1.4.0',
    check: false,
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + durationMs).toISOString(),
    durationMs,
    status: 'ok',
    hosts: [hostRecord()],
    ...overrides,
  };
}

/** The start post `rosey-apply` sends: same id, no end yet. */
export function startOf(run: RunRecord): RunRecord {
  const { finishedAt: _f, durationMs: _d, ...rest } = run;
  return { ...rest, status: 'running', hosts: [] };
}

export interface AlertSpec {
  name: string;
  status?: 'firing' | 'resolved';
  severity?: string;
  summary?: string;
  fingerprint?: string;
  startsAt?: string;
  endsAt?: string;
  instance?: string;
}

/** An Alertmanager webhook body (version 4) grouping `alerts`. */
export function alertmanagerPayload(alerts: AlertSpec[], groupStatus?: 'firing' | 'resolved') {
  const status = groupStatus ?? (alerts.some((a) => (a.status ?? 'firing') === 'firing') ? 'firing' : 'resolved');
  return {
    version: '4',
    groupKey: '{}:{alertname="BotDown"}',
    truncatedAlerts: 0,
    status,
    receiver: 'dashboard',
    groupLabels: { alertname: alerts[0]?.name ?? '' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? 'firing',
      labels: { alertname: a.name, severity: a.severity ?? 'critical', instance: a.instance ?? 'bot1.test:8001', env: 'test' },
      annotations: { summary: a.summary ?? `${a.name} on ${a.instance ?? 'bot1.test:8001'}`, description: 'details' },
      startsAt: a.startsAt ?? '2026-11-24T12:00:00.000Z',
      endsAt: a.endsAt ?? '0001-01-01T00:00:00Z',
      generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=up',
      fingerprint: a.fingerprint ?? `fp-${a.name}-${a.instance ?? 'bot1'}`,
    })),
  };
}

export interface Running {
  url: string;
  dashboard: Dashboard;
  dir: string;
  /** JSON request against the running dashboard; token defaults to the right one */
  request(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; json: unknown; text: string }>;
  post(path: string, body: unknown): Promise<{ status: number; json: unknown; text: string }>;
  get(path: string): Promise<{ status: number; json: unknown; text: string }>;
  /** keepFiles: leave the SQLite file for a restart test */
  stop(opts?: { keepFiles?: boolean }): Promise<void>;
}

/** A dashboard on an ephemeral port of 127.0.0.1 with a real SQLite file in a temp dir. */
export async function startDashboard(
  options: Partial<Omit<DashboardOptions, 'config'>> & { config?: Partial<DashboardConfig>; dir?: string } = {},
): Promise<Running> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'rosey-dashboard-'));
  const dashboard = createDashboard({
    db: join(dir, 'dashboard.sqlite'),
    token: 'token' in options ? options.token : TOKEN,
    config: { ...DEFAULT_CONFIG, ...options.config },
    fetch: options.fetch,
    log: options.log ?? (() => {}),
  });
  const server = dashboard.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request: Running['request'] = async (method, path, body, token = TOKEN) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON (metrics, HTML)
    }
    return { status: res.status, json, text };
  };
  return {
    url,
    dashboard,
    dir,
    request,
    post: (path, body) => request('POST', path, body),
    get: (path) => request('GET', path),
    async stop(opts) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      dashboard.close();
      if (!opts?.keepFiles) rmSync(dir, { recursive: true, force: true });
    },
  };
}

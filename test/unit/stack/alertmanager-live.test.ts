import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, TOKEN } from '../../dashboard/builders.js';
import { renderRoleTemplate, roleVars } from './render.js';

/**
 * Debian's real Alertmanager (/usr/bin/prometheus-alertmanager) on 127.0.0.1
 * with the local inventory's rendered alertmanager.yml, delivering to a real
 * dashboard (its webhook, with the token from the credentials file): the
 * routing, the inhibition rules and the webhook wiring, end to end.
 */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, attempts = 100): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
}

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

describe('alertmanager.yml on a real Alertmanager, delivering to a real dashboard', () => {
  let am: ChildProcess;
  let amUrl: string;
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;

  beforeAll(async () => {
    dashboard = await startDashboard();
    const dir = mkdtempSync(join(tmpdir(), 'rosey-am-'));
    const tokenFile = join(dir, 'dashboard-token');
    writeFileSync(tokenFile, TOKEN, { mode: 0o600 });
    const vars = await roleVars('local', 'alertmanager', 'monitoring', {
      hostvars: { 'rosey-t3': { ansible_host: '127.0.0.1' } },
      dashboard_port: Number(new URL(dashboard.url).port),
      alertmanager_dashboard_token_file: tokenFile,
    });
    const config = join(dir, 'alertmanager.yml');
    writeFileSync(config, renderRoleTemplate('alertmanager', 'alertmanager.yml.hbs', vars));
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    am = spawn('/usr/bin/prometheus-alertmanager', [`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { stdio: 'ignore' });
    await until('Alertmanager ready', async () => ((await fetch(`${amUrl}/-/ready`)).ok ? true : undefined));
  }, 60_000);

  afterAll(async () => {
    am?.kill('SIGTERM');
    await dashboard?.stop();
  });

  it('inhibits RoseyBotDisconnected under RoseyBotDown and the warning error rate under the critical one, on the same instance only', async () => {
    const alert = (alertname: string, instance: string, severity: string) => ({
      labels: { alertname, instance, severity, env: 'local', job: 'rosey-bot' },
      annotations: { summary: `${alertname} on ${instance}` },
      startsAt: new Date().toISOString(),
    });
    const posted = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert('RoseyBotDown', 'bot1:8001', 'critical'),
        alert('RoseyBotDisconnected', 'bot1:8001', 'critical'),
        alert('RoseyBotDisconnected', 'bot2:8001', 'critical'),
        alert('RoseyBotCriticalErrorRate', 'bot2:8001', 'critical'),
        alert('RoseyBotHighErrorRate', 'bot2:8001', 'warning'),
        alert('RoseyBotRestarted', 'bot1:8001', 'info'),
      ]),
    });
    expect(posted.status).toBe(200);

    const alerts = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as AmAlert[];
    const state = Object.fromEntries(alerts.map((a) => [`${a.labels.alertname}@${a.labels.instance}`, a.status.state]));
    expect(state).toEqual({
      'RoseyBotDown@bot1:8001': 'active',
      'RoseyBotDisconnected@bot1:8001': 'suppressed',
      'RoseyBotDisconnected@bot2:8001': 'active',
      'RoseyBotCriticalErrorRate@bot2:8001': 'active',
      'RoseyBotHighErrorRate@bot2:8001': 'suppressed',
      'RoseyBotRestarted@bot1:8001': 'active',
    });
  });

  it('delivers the critical alerts at once to the dashboard webhook, with the token from its file', async () => {
    const received = await until('the dashboard to list the critical alerts', async () => {
      const r = await dashboard.get('/api/alerts');
      const names = ((r.json as { alerts: { alertname: string; labels: Record<string, string> }[] }).alerts ?? []).map((a) => `${a.alertname}@${a.labels.instance}`);
      return ['RoseyBotDown@bot1:8001', 'RoseyBotDisconnected@bot2:8001', 'RoseyBotCriticalErrorRate@bot2:8001'].every((n) => names.includes(n)) ? names : undefined;
    });
    expect(received).not.toContain('RoseyBotDisconnected@bot1:8001');
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tool } from './promtool.js';
import { ENVIRONMENTS, addressOf, renderRoleTemplate, roleVars, tempFile } from './render.js';

interface Route {
  receiver: string;
  matchers?: string[];
  group_wait?: string;
  repeat_interval?: string;
}

describe.each(ENVIRONMENTS)('prometheus.yml rendered for inventory/%s', (env) => {
  it('passes promtool check config, with the rules it loads, and scrapes every bot, the dashboard and Alertmanager', async () => {
    const rulesVars = await roleVars(env, 'prometheus', 'monitoring');
    const rules = tempFile('rosey-rules.yml', renderRoleTemplate('prometheus', 'rosey-rules.yml.hbs', rulesVars));
    const vars = await roleVars(env, 'prometheus', 'monitoring', { prometheus_rules_file: rules });
    const text = renderRoleTemplate('prometheus', 'prometheus.yml.hbs', vars);
    const r = tool('promtool', ['check', 'config', tempFile('prometheus.yml', text)]);
    expect(r.output).toContain('SUCCESS');
    expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.rc).toBe(0);

    const config = parse(text) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    const targets = Object.fromEntries(config.scrape_configs.map((s) => [s.job_name, s.static_configs.flatMap((c) => c.targets)]));
    const groups = vars.groups as Record<string, string[]>;
    expect(targets['rosey-bot']).toEqual((groups.bots ?? []).map((h) => `${addressOf(vars, h)}:${String(vars.bot_health_port)}`));
    expect(targets['rosey-dashboard']).toEqual((groups.dashboard ?? []).map((h) => `${addressOf(vars, h)}:${String(vars.dashboard_port)}`));
    expect(targets.alertmanager).toEqual((groups.monitoring ?? []).map((h) => `${addressOf(vars, h)}:${String(vars.alertmanager_port)}`));
  });

  it('is refused by promtool when the rules file it names is broken', async () => {
    const rules = tempFile('rosey-rules.yml', 'groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: up ==\n');
    const vars = await roleVars(env, 'prometheus', 'monitoring', { prometheus_rules_file: rules });
    const r = tool('promtool', ['check', 'config', tempFile('prometheus.yml', renderRoleTemplate('prometheus', 'prometheus.yml.hbs', vars))]);
    expect(r.rc).not.toBe(0);
  });
});

const NOTIFY = {
  none: { alertmanager_email_enabled: false, alertmanager_slack_enabled: false },
  email: {
    alertmanager_email_enabled: true, alertmanager_slack_enabled: false, alertmanager_email_to: 'oncall@example.org',
    alertmanager_email_from: 'am@example.org', alertmanager_smtp_smarthost: 'smtp.example.org:587', alertmanager_smtp_username: 'am',
  },
  slack: { alertmanager_email_enabled: false, alertmanager_slack_enabled: true, alertmanager_slack_channel: '#alerts' },
  both: {
    alertmanager_email_enabled: true, alertmanager_slack_enabled: true, alertmanager_email_to: 'oncall@example.org',
    alertmanager_email_from: 'am@example.org', alertmanager_smtp_smarthost: 'smtp.example.org:587', alertmanager_smtp_username: 'am',
    alertmanager_slack_channel: '#alerts',
  },
};

async function alertmanagerConfig(env: (typeof ENVIRONMENTS)[number], extra: Record<string, unknown>) {
  const vars = await roleVars(env, 'alertmanager', 'monitoring', extra);
  const text = renderRoleTemplate('alertmanager', 'alertmanager.yml.hbs', vars);
  return { vars, text, file: tempFile('alertmanager.yml', text) };
}

const routeOf = (file: string, labels: string[]) => tool('amtool', ['config', 'routes', 'test', `--config.file=${file}`, ...labels]).stdout.trim();

describe.each(ENVIRONMENTS.flatMap((env) => Object.keys(NOTIFY).map((n) => [env, n] as const)))('alertmanager.yml for inventory/%s, notifications: %s', (env, notify) => {
  it('passes amtool check-config, with email and Slack exactly when enabled', async () => {
    const { text, file } = await alertmanagerConfig(env, NOTIFY[notify as keyof typeof NOTIFY]);
    const r = tool('amtool', ['check-config', file]);
    expect(r.output).toContain('SUCCESS');
    expect(r.output).toContain('2 inhibit rules');
    expect(r.output).toContain('3 receivers');
    expect(r.rc).toBe(0);
    expect(text.includes('email_configs')).toBe(notify === 'email' || notify === 'both');
    expect(text.includes('slack_configs')).toBe(notify === 'slack' || notify === 'both');
    expect(text).not.toMatch(/example-(smtp|slack)|hooks\.slack\.com/);
  });
});

describe.each(ENVIRONMENTS)('alertmanager routing for inventory/%s', (env) => {
  it('routes by severity to the receivers, the dashboard for info and anything else', async () => {
    const { file } = await alertmanagerConfig(env, {});
    expect(routeOf(file, ['severity=critical', 'alertname=RoseyBotDown'])).toBe('critical');
    expect(routeOf(file, ['severity=warning', 'alertname=RoseyBotHighErrorRate'])).toBe('warning');
    expect(routeOf(file, ['severity=info', 'alertname=RoseyBotRestarted'])).toBe('dashboard');
    expect(routeOf(file, ['alertname=Watchdog'])).toBe('dashboard');
  });

  it('sends every receiver to the dashboard webhook with its token file', async () => {
    const { text, vars } = await alertmanagerConfig(env, {});
    const config = parse(text) as { receivers: { name: string; webhook_configs: { url: string; send_resolved: boolean; http_config: { authorization: { credentials_file: string } } }[] }[] };
    const [dash] = (vars.groups as Record<string, string[]>).dashboard ?? [];
    for (const r of config.receivers) {
      expect(r.webhook_configs, r.name).toEqual([
        { url: `http://${addressOf(vars, dash ?? '')}:${String(vars.dashboard_port)}/api/alerts`, send_resolved: true, http_config: { authorization: { credentials_file: join('/etc/prometheus', 'alertmanager-dashboard-token') } } },
      ]);
    }
  });

  it.runIf(env !== 'local')('waits 0s and repeats every 4h for critical, 10s/12h for warning, 24h for info', async () => {
    const { text } = await alertmanagerConfig(env, {});
    const routes = (parse(text) as { route: Route & { routes: Route[] } }).route.routes;
    const by = (sev: string) => routes.find((r) => r.matchers?.includes(`severity="${sev}"`));
    expect(by('critical')).toMatchObject({ group_wait: '0s', repeat_interval: '4h' });
    expect(by('warning')).toMatchObject({ group_wait: '10s', repeat_interval: '12h' });
    expect(by('info')).toMatchObject({ repeat_interval: '24h' });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleCases } from './promtool-cases.js';
import { rulesByName, runPromtoolTests, tool } from './promtool.js';
import { ENVIRONMENTS, ROOT, renderRoleTemplate, roleVars, tempFile } from './render.js';

const ALERTS = [
  'RoseyBotDown', 'RoseyBotDisconnected', 'RoseyBotHighErrorRate', 'RoseyBotCriticalErrorRate', 'RoseyBotRestarted',
  'RoseyBotNoUsers', 'RoseyBotMetricsStale', 'RoseyBotMemoryGrowth', 'RoseyBotEventLoopLag', 'DeploymentFailed', 'DeploymentSlow',
  'EnvironmentDrifted', 'DriftCheckStale',
];

async function rendered(env: (typeof ENVIRONMENTS)[number], extra: Record<string, unknown> = {}) {
  const vars = await roleVars(env, 'prometheus', 'monitoring', extra);
  return { vars, text: renderRoleTemplate('prometheus', 'rosey-rules.yml.hbs', vars) };
}

describe.each(ENVIRONMENTS)('alert rules rendered for inventory/%s', (env) => {
  it('pass promtool check rules', async () => {
    const { text } = await rendered(env);
    const r = tool('promtool', ['check', 'rules', tempFile('rosey-rules.yml', text)]);
    expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.rc).toBe(0);
  });

  it("keep Prometheus' own {{ }} templates for Prometheus", async () => {
    const { text } = await rendered(env);
    expect(text).toContain('summary: "Rosey bot {{ $labels.instance }} is down"');
    expect(text).toContain('{{ $value | humanizePercentage }}');
    expect(text).not.toContain('\\{{');
  });

  it('pass promtool test rules: every rule fires and stays quiet as its thresholds say', async () => {
    const { vars, text } = await rendered(env);
    const r = runPromtoolTests(tempFile('rosey-rules.yml', text), text, ruleCases(vars));
    expect(r.output).toContain('SUCCESS');
    expect(r.rc).toBe(0);
    // one promtool process per case: ~20 s alone, more on a loaded 2-core machine
  }, 120_000);

  it('have RoseyBotNoUsers only where alert_no_users_enabled is set (prod)', async () => {
    const { text } = await rendered(env);
    expect(rulesByName(text).has('RoseyBotNoUsers')).toBe(env === 'prod');
  });
});

describe('alert rules', () => {
  it('has a firing and a quiet promtool case for every alert', async () => {
    const { vars } = await rendered('prod');
    const cases = ruleCases(vars);
    for (const alert of ALERTS) {
      expect(cases.some((c) => c.alertname === alert && c.expected.length > 0), `${alert} fires in some case`).toBe(true);
      expect(cases.some((c) => c.alertname === alert && c.expected.length === 0), `${alert} is quiet in some case`).toBe(true);
    }
  });

  it('are exactly the documented alerts, each with a severity and a runbook section in docs/RUNBOOK.md', async () => {
    const { text } = await rendered('prod');
    const rules = rulesByName(text);
    expect([...rules.keys()].sort()).toEqual([...ALERTS].sort());
    const runbook = readFileSync(join(ROOT, 'docs', 'RUNBOOK.md'), 'utf8');
    const anchors = new Set([...runbook.matchAll(/^#{2,3} (\S+)/gm)].map((m) => m[1]?.toLowerCase()));
    for (const [name, rule] of rules) {
      expect(rule.annotations.runbook_url, name).toBe(`docs/RUNBOOK.md#${name.toLowerCase()}`);
      expect(anchors.has(name.toLowerCase()), `docs/RUNBOOK.md has a "## ${name}" section`).toBe(true);
      expect(['critical', 'warning', 'info']).toContain((rule as unknown as { labels: { severity: string } }).labels.severity);
    }
  });

  it('fail promtool test rules when a threshold or for: differs from what the cases expect', async () => {
    const { vars } = await rendered('prod');
    const { text } = await rendered('prod', { alert_high_error_rate: 0.5, alert_bot_down_for: '5m' });
    const r = runPromtoolTests(tempFile('rosey-rules.yml', text), text, ruleCases(vars));
    expect(r.rc).not.toBe(0);
    expect(r.output).toContain('name: RoseyBotDown: fires after 60s');
    expect(r.output).toContain('RoseyBotHighErrorRate at 7.5% errors: fires');
  }, 120_000);

  it('are an error naming the variable when a threshold is missing (strict templates)', async () => {
    const { alert_bot_down_for: _dropped, ...vars } = await roleVars('prod', 'prometheus', 'monitoring');
    expect(() => renderRoleTemplate('prometheus', 'rosey-rules.yml.hbs', vars)).toThrow(/alert_bot_down_for/);
  });
});

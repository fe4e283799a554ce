import { beforeAll, describe, expect, it } from 'vitest';
import { exec, hosts } from './testbed.js';
import { rosey, workspace } from './harness.js';

const BASE = '/srv/rosey-it/prom';

// Prometheus' own {{ }} must reach the file untouched; Rosey's are rendered.
// Both ways are used: \{{ for one expression, {{{{raw}}}} for a whole block.
const RULES = `groups:
  - name: rosey
    rules:
      - alert: BotDown
        expr: up{job="rosey-bot"} == 0
        for: {{ down_for }}
        labels:
          severity: {{ severity | default('critical') }}
        annotations:
          summary: "Bot \\{{ $labels.instance }} is down"
{{{{raw}}}}
          description: "{{ $labels.instance }} has been down for more than {{ $value | humanizeDuration }}."
{{{{/raw}}}}
`;

const playbook = `
- hosts: testbed
  gather_facts: false
  vars: { down_for: 2m }
  tasks:
    - file: { path: "${BASE}", state: directory }
    - name: alert rules
      template: { src: rules.yml.hbs, dest: "${BASE}/rules.yml", validate: "promtool check rules %s" }
`;

describe('a template that must keep literal {{ }} (Prometheus rules)', () => {
  let dir: string;
  let host: string;
  beforeAll(async () => {
    host = hosts()[0]!.name;
    dir = workspace({ 'site.yml': playbook, 'templates/rules.yml.hbs': RULES });
    await exec(host, `rm -rf ${BASE}`);
  });

  it('renders Rosey\'s variables, keeps Prometheus\' templates, and promtool accepts the file', async () => {
    const r = await rosey(['site.yml', '-i', 'inventory', '-l', host], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const text = (await exec(host, `cat ${BASE}/rules.yml`)).stdout;
    expect(text).toContain('for: 2m\n');
    expect(text).toContain('severity: critical\n');
    expect(text).toContain('summary: "Bot {{ $labels.instance }} is down"\n');
    expect(text).toContain('description: "{{ $labels.instance }} has been down for more than {{ $value | humanizeDuration }}."\n');
    const check = await exec(host, `promtool check rules ${BASE}/rules.yml`);
    expect(check.stdout + check.stderr).toMatch(/SUCCESS: 1 rules found/);
  });

  it('a rule file whose Prometheus braces are not escaped fails at render, saying how to escape', async () => {
    const bad = workspace({ 'site.yml': playbook, 'templates/rules.yml.hbs': RULES.replace('\\{{', '{{') });
    const r = await rosey(['site.yml', '-i', 'inventory', '-l', host], bad);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('undefined variable "$labels.instance"');
  });
});

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { RuleCase } from './promtool-cases.js';
import { STEP } from './promtool-cases.js';

export interface ToolResult {
  rc: number;
  stdout: string;
  /** stdout then stderr */
  output: string;
}

/** Run Debian's promtool or amtool (real binaries, /usr/bin). */
export function tool(name: 'promtool' | 'amtool', args: string[]): ToolResult {
  const r = spawnSync(`/usr/bin/${name}`, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { rc: r.status ?? -1, stdout: r.stdout, output: `${r.stdout}${r.stderr}` };
}

interface RenderedRule {
  alert: string;
  annotations: Record<string, string>;
}

/** Every alerting rule of a rendered rules file, by name. */
export function rulesByName(rulesYaml: string): Map<string, RenderedRule> {
  const doc = parse(rulesYaml) as { groups: { rules: RenderedRule[] }[] };
  return new Map(doc.groups.flatMap((g) => g.rules).map((r) => [r.alert, r]));
}

/** A rule's annotations as Prometheus must expand them for one alert. */
function expandAnnotations(rule: RenderedRule, expands: Record<string, string>): Record<string, string> {
  const keys = Object.keys(expands).sort((a, b) => b.length - a.length);
  return Object.fromEntries(
    Object.entries(rule.annotations).map(([k, text]) => {
      let out = text;
      for (const key of keys) out = out.split(key).join(expands[key]);
      if (out.includes('{{')) throw new Error(`${rule.alert}.${k}: the test case does not say what "${out}" expands to`);
      return [k, out];
    }),
  );
}

const seriesText = (labels: Record<string, string>) => {
  const { __name__: name, ...rest } = labels;
  return `${name ?? ''}{${Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
};

/** The promtool unit test file for `cases` against the rules file next to it. */
export function promtoolTests(rulesFile: string, rulesYaml: string, cases: RuleCase[]): string {
  const rules = rulesByName(rulesYaml);
  const tests = cases.map((c) => ({
    name: c.name,
    interval: `${STEP}s`,
    input_series: c.series.map((s) => ({ series: seriesText(s.labels), values: s.values })),
    alert_rule_test: [
      {
        eval_time: `${c.evalSeconds}s`,
        alertname: c.alertname,
        exp_alerts: c.expected.map((e) => {
          const rule = rules.get(c.alertname);
          if (!rule) throw new Error(`case "${c.name}" expects ${c.alertname}, which is not in the rendered rules`);
          return { exp_labels: e.labels, exp_annotations: expandAnnotations(rule, e.expands) };
        }),
      },
    ],
  }));
  return stringify({ rule_files: [rulesFile], evaluation_interval: `${STEP}s`, tests });
}

/** Write the rules and their tests side by side and run `promtool test rules`. */
export function runPromtoolTests(rulesFile: string, rulesYaml: string, cases: RuleCase[]): ToolResult {
  const testsFile = join(dirname(rulesFile), 'rosey-rules.test.yml');
  writeFileSync(rulesFile, rulesYaml);
  writeFileSync(testsFile, promtoolTests(rulesFile, rulesYaml, cases));
  return tool('promtool', ['test', 'rules', testsFile]);
}

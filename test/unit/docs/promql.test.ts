import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './doc-blocks.js';

/**
 * The PromQL queries of docs/MONITORING.md parse (promtool, as rule
 * expressions) and name only metrics the bot and the dashboard export.
 */
const text = readFileSync(join(ROOT, 'docs', 'MONITORING.md'), 'utf8');
const queries = [...text.matchAll(/^```promql\n([\s\S]*?)^```/gm)].map((m) => m[1]!.trim());

/** Names the code registers, plus prom-client's defaults and Prometheus' own `up`. */
function exportedNames(): Set<string> {
  const names = new Set(['up']);
  for (const file of ['bot/src/observe/metrics.ts', 'src/dashboard/metrics.ts']) {
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/name: '([a-z_]+)'/g)) names.add(m[1]!);
  }
  return names;
}
const DEFAULT_METRICS = /^(process|nodejs)_[a-z0-9_]+$/;
const FUNCTIONS = new Set(['rate', 'increase', 'deriv', 'sum', 'count', 'max', 'by', 'on', 'group_left', 'histogram_quantile', 'time', 'and', 'or', 'unless']);

function rulesFile(list: string[]): string {
  const rules = list.map((q, i) => `      - record: docs:query_${i + 1}\n        expr: |\n${q.split('\n').map((l) => `          ${l}`).join('\n')}`);
  return `groups:\n  - name: docs-monitoring\n    rules:\n${rules.join('\n')}\n`;
}

describe('docs/MONITORING.md queries', () => {
  it('has queries', () => {
    expect(queries.length).toBeGreaterThanOrEqual(10);
  });

  it('all parse (promtool check rules)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rosey-promql-')), 'queries.yml');
    writeFileSync(file, rulesFile(queries));
    const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`${queries.length} rules found`);
  });

  it('promtool would catch a broken query', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rosey-promql-')), 'bad.yml');
    writeFileSync(file, rulesFile(['sum by (env (rate(rosey_bot_requests_total[5m]))']));
    expect(spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' }).status).not.toBe(0);
  });

  it.each(queries.map((q) => [q]))('%s uses only exported metric names', (q) => {
    const known = exportedNames();
    const bare = q.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '').replace(/\([^()]*\)\s*(?=\()/g, '');
    const words = [...bare.matchAll(/[a-z_][a-z0-9_]*/g)].map((m) => m[0]).filter((w) => w.includes('_') || w === 'up');
    const labels = new Set(['group_left', 'le', 'env', 'instance', 'version', 'command', 'kind', 'status']);
    for (const w of words.filter((w) => !FUNCTIONS.has(w) && !labels.has(w))) {
      const base = w.replace(/_(bucket|sum|count)$/, '');
      expect(known.has(w) || known.has(base) || DEFAULT_METRICS.test(w), `${w} is not a metric Rosey exports`).toBe(true);
    }
  });
});

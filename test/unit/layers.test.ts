import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Each source file's relative imports, as paths under src/ ("runner/play.ts"). */
function imports(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files(SRC)) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/from '(\.[^']+)'/g)].map((m) => relative(SRC, resolve(dirname(f), m[1]!)).replace(/\.js$/, '.ts'));
    out.set(relative(SRC, f), deps);
  }
  return out;
}

// Layers point down only (docs: DESIGN.md): a lower layer importing a higher one is a bug in the shape.
const FORBIDDEN: [string, string[]][] = [
  ['runner/', ['cli/']],
  ['modules/', ['cli/', 'runner/', 'report/', 'transport/ssh.ts']],
  ['facts/', ['cli/', 'runner/', 'report/', 'modules/', 'transport/ssh.ts']],
  ['journal/', ['cli/', 'runner/', 'report/']],
  ['transport/', ['cli/', 'runner/', 'report/', 'modules/', 'playbook/']],
  ['report/', ['cli/']],
];

describe('layers', () => {
  const graph = imports();

  it.each(FORBIDDEN)('%s imports none of %j', (layer, banned) => {
    const bad = [...graph].flatMap(([f, deps]) => (f.startsWith(layer) ? deps.filter((d) => banned.some((b) => d.startsWith(b))).map((d) => `${f} -> ${d}`) : []));
    expect(bad).toEqual([]);
  });

  // handlers run tasks and a task (meta: flush_handlers) runs handlers: a real mutual
  // recursion, to be broken by passing the handler runner in (left to the runner's owner)
  const KNOWN_CYCLES = new Set(['runner/handlers.ts -> runner/task-run.ts -> runner/handlers.ts', 'runner/task-run.ts -> runner/handlers.ts -> runner/task-run.ts']);

  it('no import cycles inside the runner (gather and play import each other no more)', () => {
    const runner = [...graph.keys()].filter((f) => f.startsWith('runner/'));
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      for (const d of graph.get(f) ?? []) {
        if (!d.startsWith('runner/')) continue;
        if (path.includes(d)) cycles.push([...path.slice(path.indexOf(d)), d].join(' -> '));
        else if (path.length < 12) visit(d, [...path, d]);
      }
    };
    runner.forEach((f) => visit(f, [f]));
    expect([...new Set(cycles)].filter((c) => !KNOWN_CYCLES.has(c))).toEqual([]);
  });
});

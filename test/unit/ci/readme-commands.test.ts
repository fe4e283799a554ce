import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** README's first lines: the indented commands before the first paragraph, comments dropped. */
function readmeCommands(): string[] {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  return lines
    .slice(0, lines.findIndex((l, i) => i > 1 && l !== '' && !l.startsWith('    ')))
    .filter((l) => l.startsWith('    '))
    .map((l) => l.trim().replace(/\s+#.*$/, ''));
}

describe("README's two commands", () => {
  it('start README: the demo, then every test', () => {
    expect(readmeCommands()).toEqual(['bash scripts/setup && bash scripts/demo', 'bash scripts/setup && bash scripts/test']);
  });

  it('.ci/run reads the second one from README.md and runs it', () => {
    // what .ci/run runs is exactly README's second command
    expect(execFileSync('bash', [join(ROOT, 'scripts/readme-command.sh'), '2'], { encoding: 'utf8' }).trim()).toBe(readmeCommands()[1]);
    const run = readFileSync(join(ROOT, '.ci/run'), 'utf8').split('\n');
    expect(run).toContain('readme_cmd=$(bash scripts/readme-command.sh 2)');
    expect(run).toContain('bash -c "$readme_cmd"');
  });
});

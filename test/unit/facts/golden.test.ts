import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileState, type FileStateOptions } from '../../../src/facts/file-state.js';
import { hostFacts } from '../../../src/facts/host.js';
import type { Fact } from '../../../src/facts/types.js';

/**
 * Golden fact cases {args, command, output, fact}: the command a fact sends
 * for its arguments, and what it makes of a recorded output. `output` is
 * written by hand (or recorded from a host); `command` and `fact` are checked,
 * and rewritten by `UPDATE_GOLDEN=1 npx vitest run test/unit/facts` (review the diff).
 */
interface Golden {
  name: string;
  args: unknown[];
  command?: string;
  output: string;
  fact?: unknown;
}

const FACTS: Record<string, (...args: never[]) => Fact<unknown>> = {
  'file-state': (path: string, opts: FileStateOptions) => fileState(path, opts),
  host: () => hostFacts(),
};

const update = process.env.UPDATE_GOLDEN === '1';

for (const [name, make] of Object.entries(FACTS)) {
  const file = join(import.meta.dirname, 'golden', `${name}.json`);
  const cases = JSON.parse(readFileSync(file, 'utf8')) as Golden[];
  describe(`fact ${name} (golden)`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const fact = make(...(c.args as never[]));
        const got = { command: fact.command.text, fact: JSON.parse(JSON.stringify(fact.parse(c.output))) as unknown };
        if (update) Object.assign(c, got);
        expect(got.command).toBe(c.command);
        expect(got.fact).toEqual(c.fact);
      });
    }
  });
  if (update) {
    describe(`fact ${name} (golden file)`, () => {
      it('is rewritten', () => writeFileSync(file, JSON.stringify(cases, null, 2) + '\n'));
    });
  }
}

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../src/cli/env.js';
import { parseArgs } from '../../../src/cli/parse.js';
import { checkUndefinedVars } from '../../../src/cli/static-check.js';
import { UserError } from '../../../src/errors/diagnostic.js';
import { loadInventory } from '../../../src/inventory/inventory.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { seeded } from '../../../bot/test/fuzz-events.js';

/**
 * The loader against random damage: real playbooks, roles and inventory of
 * this repository, mutated by a seeded generator (so a failure replays). Every
 * case must end in a result or a UserError (exit 1), never another exception
 * (an internal error, exit 250) and never a hang.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SEED = Number(process.env.ROSEY_FUZZ_SEED ?? 20261127);
const CASES = Number(process.env.ROSEY_FUZZ_CASES ?? 2000);
/** A hang detector, not a speed target: one case takes milliseconds. */
const CASE_BOUND_MS = 5000;

const TOKENS = ['{', '}', '[', ']', ':', '- ', '&a ', '*a', '<<: ', '!!str ', '!vault ', '"', "'", '|', '>', '#', '\t', '\n', '  ', '{{', '}}', '{{ x }}', '\\0', '\u0000', '\uFFFD', 'é', '__proto__', 'when: ', 'block:', 'loop: ', 'import_tasks: site.yml', 'hosts: all', '%', '@', '`', '?'];

function mutate(text: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const at = Math.floor(rnd() * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(rnd() * lines.length);
  switch (Math.floor(rnd() * 8)) {
    case 0:
      return text.slice(0, at) + pick(TOKENS) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 20));
    case 2:
      return text.slice(0, at);
    case 3:
      lines.splice(line, 0, lines[line] ?? '');
      return lines.join('\n');
    case 4:
      lines[line] = ' '.repeat(Math.floor(rnd() * 8)) + (lines[line] ?? '').trimStart();
      return lines.join('\n');
    case 5: {
      const other = Math.floor(rnd() * lines.length);
      [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
      return lines.join('\n');
    }
    case 6:
      return text.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + text.slice(at);
    default:
      lines.splice(line, 1);
      return lines.join('\n');
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

/** A copy of the repository's playbooks, roles and local inventory to damage. */
function project(): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-fuzz-'));
  for (const d of ['playbooks', 'roles', 'inventory/local']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  return { dir, files: filesUnder(dir) };
}

type Outcome = 'loaded' | 'refused';

async function load(dir: string): Promise<Outcome> {
  const options = parseArgs([join(dir, 'playbooks/site.yml'), '-i', join(dir, 'inventory/local'), '--syntax-check'], readEnv({}));
  try {
    const inventory = await loadInventory(options.inventory);
    const playbook = loadPlaybook(options.playbook);
    for (const play of playbook.plays) inventory.selectHosts(play.hosts, options.limit);
    checkUndefinedVars(playbook, inventory, options);
    return 'loaded';
  } catch (err) {
    if (err instanceof UserError) return 'refused';
    throw err;
  }
}

describe('the playbook loader under random damage', () => {
  it(`${CASES} seeded mutations (seed ${SEED}) each load or are refused with a UserError, quickly`, async () => {
    const rnd = seeded(SEED);
    const { dir, files } = project();
    const originals = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
    const tally: Record<Outcome, number> = { loaded: 0, refused: 0 };
    for (let i = 0; i < CASES; i++) {
      const file = files[Math.floor(rnd() * files.length)]!;
      let text = originals.get(file)!;
      const n = 1 + Math.floor(rnd() * 3);
      for (let m = 0; m < n; m++) text = mutate(text, rnd);
      writeFileSync(file, text);
      const started = Date.now();
      let outcome: Outcome;
      try {
        outcome = await load(dir);
      } catch (err) {
        throw new Error(`case ${i} (seed ${SEED}, ${relative(dir, file)}) threw ${(err as Error).name}: ${(err as Error).stack}\n--- file ---\n${text}`);
      }
      expect(Date.now() - started, `case ${i} took too long`).toBeLessThan(CASE_BOUND_MS);
      tally[outcome]++;
      writeFileSync(file, originals.get(file)!);
    }
    // the generator does damage: most cases are refused, some survive
    expect(tally.refused).toBeGreaterThan(CASES / 10);
  }, 600_000);

  it('through the real CLI, damaged playbooks exit 0 or 1, never anything else', () => {
    const rnd = seeded(SEED + 1);
    const { dir } = project();
    const site = join(dir, 'playbooks/site.yml');
    const original = readFileSync(site, 'utf8');
    for (let i = 0; i < 6; i++) {
      writeFileSync(site, mutate(mutate(original, rnd), rnd));
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/rosey-apply.cjs'), site, '-i', join(dir, 'inventory/local'), '--syntax-check'], { encoding: 'utf8', timeout: 20_000 });
      expect(r.signal, `case ${i} hung`).toBeNull();
      expect([0, 1], `case ${i}: exit ${r.status}\n${r.stderr}`).toContain(r.status);
      expect(r.stderr).not.toMatch(/INTERNAL ERROR/);
    }
  }, 300_000);
});

import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allModules } from '../../../src/modules/registry.js';

/** Through the built CLI (`npm run build` first), as a person types it; nothing here needs a host. */
const BIN = join(resolve(import.meta.dirname, '..', '..', '..'), 'bin', 'rosey-apply.cjs');

function cli(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, CI: 'true' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every subcommand; a test checks the main help lists exactly these. */
const SUBCOMMANDS = [['doc'], ['runs'], ['undo'], ['unlock'], ['apply']];

/** The option lines of a commander help text: flags, then at least two spaces and a description. */
function optionLines(help: string): string[] {
  const section = help.split('\nOptions:\n')[1]?.split(/\n\n/)[0] ?? '';
  return section.split('\n').filter((l) => /^ {2}-/.test(l));
}

describe('rosey-apply doc', () => {
  it('without a module lists every module with its description', () => {
    const r = cli(['doc']);
    expect(r.code).toBe(0);
    for (const m of allModules()) expect(r.out).toMatch(new RegExp(`^ {2}${m.name} +${m.description.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
  });

  it('prints a module\'s arguments with type, required, default and aliases', () => {
    const r = cli(['doc', 'file']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^file: Make a path/);
    expect(r.out).toMatch(/^ {2}path \(string, required\)\n {6}aliases: .*\bdest\b/m);
    expect(r.out).toMatch(/^ {2}state \("file" \| "directory" \| "touch" \| "absent" \| "link"\)$/m);
    const copy = cli(['doc', 'ansible.builtin.copy']);
    expect(copy.code).toBe(0);
    expect(copy.out).toMatch(/^ {2}force \(boolean, default true\)$/m);
  });

  it('refuses an unknown module with a suggestion, exit 1', () => {
    const r = cli(['doc', 'cpoy']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('unknown module "cpoy"; did you mean "copy"?');
    expect(r.out).toBe('');
  });
});

describe('help is complete', () => {
  it('covers every command the main help lists', () => {
    const section = cli(['--help']).out.split('\nCommands')[1]?.split('\n\n')[0] ?? '';
    const listed = [...section.matchAll(/^ {2}rosey-apply ([a-z]+)\b/gm)].map((m) => m[1]!);
    expect([...new Set(listed)].sort()).toEqual(SUBCOMMANDS.map((c) => c[0]).sort());
  });

  it.each([[[]], ...SUBCOMMANDS.map((c) => [c])])('rosey-apply %j --help describes its command and every option', (sub) => {
    const r = cli([...sub, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: rosey-apply/);
    expect(r.out.split('\n\n')[1]?.trim().length, 'a description under Usage').toBeGreaterThan(20);
    const lines = optionLines(r.out);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line, 'an option without a description').toMatch(/^ {2}-\S.*? {2,}\S/);
  });

  it('the main help names every command and the exit codes', () => {
    const r = cli(['--help']);
    for (const c of ['doc [module]', 'runs [options]', 'undo <run-id>', 'unlock -l', 'apply <plan.json>']) expect(r.out).toContain(`rosey-apply ${c}`);
    expect(r.out).toMatch(/Exit codes:\n {2}0 every host ok; 1 bad usage/);
  });
});

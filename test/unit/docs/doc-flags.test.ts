import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docFiles, ROOT } from './doc-blocks.js';

/**
 * Every rosey-apply flag the docs mention must be one some `--help` lists
 * (the apply command's or a subcommand's), so a renamed or removed flag
 * cannot live on in the docs. Needs the built CLI (`npm run build`).
 */
const BIN = join(ROOT, 'bin', 'rosey-apply.cjs');
const help = (args: string[]): string => spawnSync(process.execPath, [BIN, ...args, '--help'], { encoding: 'utf8', timeout: 20_000 }).stdout;

/** The main command and every subcommand its help lists under "Commands" (a new one is covered without editing this file). */
function commands(): string[][] {
  const section = help([]).split('\nCommands')[1]?.split('\n\n')[0] ?? '';
  return [[], ...[...section.matchAll(/^ {2}rosey-apply ([a-z]+)\b/gm)].map((m) => [m[1]!])];
}

function helpFlags(): Set<string> {
  const flags = new Set<string>();
  for (const sub of commands()) {
    const out = help(sub);
    for (const line of out.split('\n').filter((l) => /^ {2}-/.test(l))) {
      for (const m of line.trim().split(/ {2,}/)[0]!.matchAll(/(--?[A-Za-z][\w-]*)/g)) flags.add(m[1]!);
    }
  }
  return flags;
}

/** `--flag`/`-f` words after "rosey-apply" on one line, up to a pipe, ;, && or the end of inline code. */
export function mentionedFlags(text: string): { flag: string; line: number }[] {
  const out: { flag: string; line: number }[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/rosey-apply\b([^`|;&]*)/g)) {
      const words = m[1]!.replace(/'[^']*'|"[^"]*"/g, ' ').split(/\s+/);
      for (const w of words) {
        const f = /^(--?[A-Za-z][\w-]*)(=.*)?$/.exec(w)?.[1];
        if (f) out.push({ flag: f, line: i + 1 });
      }
    }
  });
  return out;
}

describe('flags in the docs exist', () => {
  const known = helpFlags();

  it('reads the flags from the help texts', () => {
    for (const f of ['--check', '--diff', '-i', '--inventory', '--limit', '--last', '--help']) expect(known).toContain(f);
  });

  it('finds flags in the docs and would catch an unknown one', () => {
    expect(mentionedFlags('    rosey-apply site.yml --chekc -i inv | grep --color x\n').map((m) => m.flag)).toEqual(['--chekc', '-i']);
  });

  it.each(docFiles().map((f) => [f]))('%s names only flags rosey-apply has', (file) => {
    const unknown = mentionedFlags(readFileSync(join(ROOT, file), 'utf8')).filter((m) => !known.has(m.flag));
    expect(unknown.map((m) => `${file}:${m.line}: ${m.flag}`)).toEqual([]);
  });
});

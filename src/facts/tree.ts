import { raw, sh, type Cmd } from '../transport/quote.js';
import type { Fact } from './types.js';
import { keyValues } from './parse.js';

export interface TreeWant {
  /** 4-digit octal, checked on everything but symlinks */
  mode?: string;
  owner?: string;
  group?: string;
}

/**
 * Is anything below `path` (not `path` itself) off the wanted mode/owner/group?
 * Stops at the first such entry, so a large tree that is right costs one walk
 * and no transfer. A missing path has no drift.
 */
export function treeDrift(path: string, want: TreeWant): Fact<boolean> {
  const tests: Cmd[] = [];
  if (want.mode) tests.push(sh`\\( ! -type l ! -perm ${want.mode} \\)`);
  if (want.owner) tests.push(sh`! -user ${want.owner}`);
  if (want.group) tests.push(sh`! -group ${want.group}`);
  if (tests.length === 0) return { command: raw('echo drift=0'), parse: () => false };
  const findExpr = tests.reduce((a, b) => sh`${a} -o ${b}`);
  return {
    command: sh`if [ -d ${path} ] && [ -n "$(find ${path} -mindepth 1 \\( ${findExpr} \\) -print -quit 2>/dev/null)" ]; then echo drift=1; else echo drift=0; fi`,
    parse: (stdout) => keyValues(stdout).get('drift') === '1',
  };
}

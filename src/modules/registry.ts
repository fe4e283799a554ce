import type { AnyModule } from './types.js';
import { file } from './files/file.js';
import { copy } from './files/copy.js';
import { template } from './files/template.js';
import { lineinfile } from './files/lineinfile.js';
import { command } from './commands/command.js';
import { shell } from './commands/shell.js';
import { debug } from './controller/debug.js';
import { assert } from './controller/assert.js';
import { setFact } from './controller/set-fact.js';
import { fail } from './controller/fail.js';
import { uri } from './controller/uri.js';
import { systemd } from './system/systemd.js';
import { user } from './system/user.js';
import { group } from './system/group.js';
import { apt } from './system/apt.js';
import { release } from './release/release.js';
import { stat } from './probe/stat.js';
import { waitFor } from './probe/wait-for.js';

// one line per module: its file says everything else about it
const MODULES: readonly AnyModule[] = [
  file,
  copy,
  template,
  lineinfile,
  command,
  shell,
  debug,
  assert,
  setFact,
  fail,
  uri,
  systemd,
  user,
  group,
  apt,
  release,
  stat,
  waitFor,
];

const BY_NAME = new Map<string, AnyModule>(MODULES.flatMap((m) => [m.name, ...(m.moduleAliases ?? [])].map((n) => [n, m] as const)));

/** Prefixes under which Ansible names its builtin modules; `ansible.builtin.copy` is `copy`. */
const PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

/** The module a task names, by its short or fully qualified name; undefined when there is none. */
export function getModule(name: string): AnyModule | undefined {
  const prefix = PREFIXES.find((p) => name.startsWith(p));
  return BY_NAME.get(prefix ? name.slice(prefix.length) : name);
}

/** Short names (and aliases) of every module, sorted (for "did you mean" and help texts). */
export function moduleNames(): string[] {
  return [...BY_NAME.keys()].sort();
}

/** Every module, in registry order (docs, schema, conformance tests). */
export function allModules(): readonly AnyModule[] {
  return MODULES;
}

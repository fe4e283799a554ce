/**
 * The one place where values become shell text. Every command that reaches a
 * host is a `Cmd` built with the `sh` tag, which single-quotes each
 * interpolation; `display` is the same command with secrets masked, and is the
 * only form that may be printed or logged.
 */
import { UserError } from '../errors/diagnostic.js';
import { MASK, Secret } from '../shared/secret.js';

export { MASK, Secret, secret } from '../shared/secret.js';

export interface Cmd {
  /** what the shell runs */
  readonly text: string;
  /** what a person may see: secrets masked */
  readonly display: string;
}

/**
 * A trusted fragment inserted without quoting: shell syntax written in this
 * codebase, or a command the user wrote as a command (`shell:`, `validate:`).
 */
export function raw(text: string): Cmd {
  return { text, display: text };
}

export type ShValue = string | number | Secret | Cmd | readonly ShValue[];

/** POSIX single-quoting: safe for any byte string except NUL. */
export function quote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function isCmd(v: unknown): v is Cmd {
  return typeof v === 'object' && v !== null && 'text' in v && 'display' in v;
}

function render(value: ShValue): Cmd {
  if (value instanceof Secret) return { text: render(value.reveal()).text, display: MASK };
  if (isCmd(value)) return value;
  if (Array.isArray(value)) {
    const parts = value.map(render);
    return { text: parts.map((p) => p.text).join(' '), display: parts.map((p) => p.display).join(' ') };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot put ${value} in a shell command`);
    return { text: String(value), display: String(value) };
  }
  if (typeof value !== 'string') throw new TypeError(`cannot put a ${typeof value} in a shell command`);
  // a value can reach here from a host (registered output): a task failure, not a bug
  if (value.includes('\0')) throw new UserError({ severity: 'error', summary: 'a value for the host contains a NUL byte (\\0), which no shell command can carry', detail: 'Remove the NUL from the value (paths and arguments cannot hold one).' });
  const q = quote(value);
  return { text: q, display: q };
}

/** Tagged template: ``sh`mkdir -p ${path}` `` quotes `path`; nested `Cmd`s are inserted as they are. */
export function sh(strings: TemplateStringsArray, ...values: ShValue[]): Cmd {
  let text = strings[0] ?? '';
  let display = text;
  values.forEach((v, i) => {
    const r = render(v);
    text += r.text + (strings[i + 1] ?? '');
    display += r.display + (strings[i + 1] ?? '');
  });
  return { text, display };
}

/** Join commands with a shell operator (`&&`, `;`, `|`). */
export function joinCmds(cmds: readonly Cmd[], op: '&&' | ';' | '||' | '\n'): Cmd {
  const sep = op === '\n' ? '\n' : ` ${op} `;
  return { text: cmds.map((c) => c.text).join(sep), display: cmds.map((c) => c.display).join(sep) };
}

import type { Become } from './connection.js';
import { quote, type Cmd } from './quote.js';

/**
 * What a host's process list shows for every command Rosey runs: a shell
 * that reads the real script from stdin (a line count, then the lines) and
 * evaluates it. A task's script, with whatever values it holds, is never
 * on a command line (`ps -eo args` on the host), and sudo logs only this
 * constant text to the journal. The rest of stdin is the command's own input.
 * POSIX sh's `read` takes one byte at a time from a pipe, so it never eats
 * into that input.
 */
export const BOOTSTRAP = 'IFS= read -r n || exit 125; s=; while [ "$n" -gt 0 ]; do IFS= read -r l || exit 125; s="$s$l\n"; n=$((n - 1)); done; eval "$s"';

/** The command line itself: the same for every task on every host. */
export const BOOTSTRAP_COMMAND = `/bin/sh -c ${quote(BOOTSTRAP)}`;

/** A script framed for BOOTSTRAP: its line count, then its lines. */
function framed(text: string): string {
  return `${text.split('\n').length}\n${text}\n`;
}

/** How one command travels: the constant command line, and what to write to its stdin before the command's own input. */
export interface Invocation {
  prelude: string;
  /** for people: the command as it runs, secrets masked */
  display: string;
}

/**
 * Frame a command, run as another user when asked. `sudo -n` never prompts:
 * a host without passwordless sudo fails at once with sudo's own message
 * instead of hanging the run on a password prompt. Under sudo a second
 * bootstrap reads the task's script from the same stdin.
 */
export function invocation(cmd: Cmd, become: Become | undefined): Invocation {
  if (!become) return { prelude: framed(cmd.text), display: cmd.display };
  const sudo = `exec sudo -n -H -u ${quote(become.user)} -- ${BOOTSTRAP_COMMAND}`;
  return {
    prelude: framed(sudo) + framed(cmd.text),
    display: `sudo -n -H -u ${become.user} -- /bin/sh -c ${JSON.stringify(cmd.display)}`,
  };
}

/** The prelude followed by the command's own stdin, as one buffer. */
export function stdinFor(inv: Invocation, stdin: string | Uint8Array | undefined): Buffer {
  const head = Buffer.from(inv.prelude, 'utf8');
  if (stdin === undefined || stdin.length === 0) return head;
  const body = typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength);
  return Buffer.concat([head, body]);
}

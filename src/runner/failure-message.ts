import { maskText } from '../shared/secret.js';
import type { Become } from '../transport/connection.js';

/** Lines of stderr a failure shows: enough for the cause, not a whole log. */
const STDERR_LINES = 8;

const SUDO_NEEDS_PASSWORD = /sudo: (?:a (?:terminal|password) is required|no tty present)/;

/** The last lines of stderr, secrets masked; '' when there is none. */
export function stderrTail(stderr: string): string {
  const lines = stderr.trimEnd().split('\n').filter((l) => l.trim() !== '');
  const tail = lines.slice(-STDERR_LINES);
  const cut = lines.length > tail.length ? `(last ${tail.length} of ${lines.length} lines)\n` : '';
  // every secret this run knows (vault values, Secret arguments) is masked, not only the task's own
  return tail.length ? cut + maskText(tail.join('\n')) : '';
}

/**
 * Why a command failed, as a person needs it: the exit code, what it said on
 * stderr, and for sudo asking for a password, what to change.
 */
export function commandFailure(what: string | undefined, rc: number, stderr: string, become: Become | undefined): string {
  if (become && SUDO_NEEDS_PASSWORD.test(stderr)) return sudoNeedsPassword(become);
  const tail = stderrTail(stderr);
  return `${what ? `${what}: ` : ''}non-zero return code ${rc}${tail ? `\n${tail}` : ''}`;
}

export function sudoNeedsPassword(become: Become): string {
  return (
    `become: sudo needs a password to run as ${become.user}. Rosey runs sudo -n and never types one: ` +
    'give the login user passwordless sudo (a NOPASSWD line in /etc/sudoers.d/), or connect as the target user.'
  );
}

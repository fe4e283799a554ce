import { MASK, Secret } from '../shared/secret.js';
import type { Become } from '../transport/connection.js';

/** Lines of stderr a failure shows: enough for the cause, not a whole log. */
const STDERR_LINES = 8;

const SUDO_NEEDS_PASSWORD = /sudo: (?:a (?:terminal|password) is required|no tty present)/;

/** Every Secret inside a value (task arguments), to mask in text that came back from the host. */
export function secretsIn(value: unknown, out: Secret[] = []): Secret[] {
  if (value instanceof Secret) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => secretsIn(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => secretsIn(v, out));
  return out;
}

function masked(text: string, secrets: readonly Secret[]): string {
  let t = text;
  for (const s of secrets) if (s.reveal()) t = t.split(s.reveal()).join(MASK);
  return t;
}

/** The last lines of stderr, secrets masked; '' when there is none. */
export function stderrTail(stderr: string, secrets: readonly Secret[] = []): string {
  const lines = stderr.trimEnd().split('\n').filter((l) => l.trim() !== '');
  const tail = lines.slice(-STDERR_LINES);
  const cut = lines.length > tail.length ? `(last ${tail.length} of ${lines.length} lines)\n` : '';
  return tail.length ? cut + masked(tail.join('\n'), secrets) : '';
}

/**
 * Why a command failed, as a person needs it: the exit code, what it said on
 * stderr, and for sudo asking for a password, what to change.
 */
export function commandFailure(what: string | undefined, rc: number, stderr: string, become: Become | undefined, secrets: readonly Secret[] = []): string {
  if (become && SUDO_NEEDS_PASSWORD.test(stderr)) return sudoNeedsPassword(become);
  const tail = stderrTail(stderr, secrets);
  return `${what ? `${what}: ` : ''}non-zero return code ${rc}${tail ? `\n${tail}` : ''}`;
}

export function sudoNeedsPassword(become: Become): string {
  return (
    `become: sudo needs a password to run as ${become.user}. Rosey runs sudo -n and never types one: ` +
    'give the login user passwordless sudo (a NOPASSWD line in /etc/sudoers.d/), or connect as the target user.'
  );
}

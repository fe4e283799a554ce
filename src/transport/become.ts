import type { Become } from './connection.js';
import { quote, type Cmd } from './quote.js';

/**
 * Wrap a command to run as another user. `sudo -n` never prompts: a host
 * without passwordless sudo fails at once with sudo's own message instead of
 * hanging the run on a password prompt.
 *
 * sudo logs every command line it runs to the host's journal. So that a
 * value in the command (a password in a `command:` argument) never lands
 * there, the script travels in a 0600 temp file of the login user and sudo
 * runs `/bin/sh <file>`: the journal sees only the file's name. stdin stays
 * free for the command's own input. A non-root become user cannot read the
 * login user's private file, so for those the script stays an argument.
 */
export function withBecome(cmd: Cmd, become: Become | undefined): Cmd {
  if (!become) return cmd;
  const user = quote(become.user);
  const display = `sudo -n -H -u ${become.user} -- /bin/sh -c ${JSON.stringify(cmd.display)}`;
  if (become.user !== 'root') return { text: `sudo -n -H -u ${user} -- /bin/sh -c ${quote(cmd.text)}`, display };
  const text = [
    'f=$(mktemp) || exit 125',
    `printf '%s\\n' ${quote(cmd.text)} > "$f"`,
    `sudo -n -H -u ${user} -- /bin/sh "$f"`,
    'rc=$?',
    'rm -f "$f"',
    'exit $rc',
  ].join('; ');
  return { text, display };
}

import type { Become } from './connection.js';
import { sh, type Cmd } from './quote.js';

/**
 * Wrap a command to run as another user. `sudo -n` never prompts: a host
 * without passwordless sudo fails at once with sudo's own message instead of
 * hanging the run on a password prompt.
 */
export function withBecome(cmd: Cmd, become: Become | undefined): Cmd {
  if (!become) return cmd;
  const inner = { text: cmd.text, display: cmd.display };
  // The inner command is quoted as one argument of sh -c; its display keeps
  // the masked form so a secret inside stays masked.
  return {
    text: sh`sudo -n -H -u ${become.user} -- /bin/sh -c ${inner.text}`.text,
    display: `sudo -n -H -u ${become.user} -- /bin/sh -c ${JSON.stringify(inner.display)}`,
  };
}

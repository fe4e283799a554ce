import type { Fact } from '../facts/types.js';
import { sh, type Cmd } from '../transport/quote.js';
import { PENDING_DIR } from '../transport/host-paths.js';

/**
 * A handler notified by a change is marked on the host at once, and the mark
 * is removed only after the handler ran. A run that dies in between (a later
 * task fails, the connection drops, the controller is killed) leaves the
 * mark, and the next run of a play with that handler runs it: a changed
 * config is never left without its restart (Ansible loses these:
 * ansible/ansible#10498).
 */
export { PENDING_DIR };

/**
 * Marks are kept per inventory host: several inventory hosts may be one
 * machine (`ansible_connection: local`, two names for one address), and one
 * must not take up another's notifications.
 */
function hostDir(host: string): string {
  return `${PENDING_DIR}/${fileName(host)}`;
}

function fileName(name: string): string {
  return encodeURIComponent(name);
}

export function markPendingCmd(host: string, handlers: readonly string[]): Cmd {
  return sh`mkdir -p ${hostDir(host)} && touch ${handlers.map((h) => `${hostDir(host)}/${fileName(h)}`)}`;
}

/** Removes the mark, and one an older Rosey left unkeyed in the folder itself. */
export function clearPendingCmd(host: string, handler: string): Cmd {
  return sh`rm -f ${`${hostDir(host)}/${fileName(handler)}`} ${`${PENDING_DIR}/${fileName(handler)}`}`;
}

/** The host's marks (and unkeyed ones an older Rosey left). The folder is world-readable, so listing needs no sudo. */
export function pendingFact(host: string): Fact<Set<string>> {
  return {
    // globs and tests are the shell's own: listing spawns no process (it runs on every host in every run)
    command: sh`for f in ${hostDir(host)}/*; do { [ -e "$f" ] || [ -L "$f" ]; } && printf '%s\n' "\${f##*/}"; done
for f in ${PENDING_DIR}/* ${PENDING_DIR}/.[!.]* ${PENDING_DIR}/..?*; do [ -f "$f" ] && [ ! -L "$f" ] && printf '%s\n' "\${f##*/}"; done; true`,
    parse: (stdout) => new Set(parsePending(stdout)),
  };
}
export function parsePending(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((f) => {
      try {
        return decodeURIComponent(f);
      } catch {
        return f;
      }
    });
}

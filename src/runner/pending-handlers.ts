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

function fileName(handler: string): string {
  return encodeURIComponent(handler);
}

export function markPendingCmd(handlers: readonly string[]): Cmd {
  return sh`mkdir -p ${PENDING_DIR} && touch ${handlers.map((h) => `${PENDING_DIR}/${fileName(h)}`)}`;
}

export function clearPendingCmd(handler: string): Cmd {
  return sh`rm -f ${`${PENDING_DIR}/${fileName(handler)}`}`;
}

/** The marks on the host. The folder is world-readable, so listing needs no sudo. */
export const pendingFact: Fact<Set<string>> = {
  command: sh`ls -1 ${PENDING_DIR} 2>/dev/null || true`,
  parse: (stdout) => new Set(parsePending(stdout)),
};

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

import type { Become, ExecResult } from './connection.js';
import type { ShellSession } from './shell-session.js';

/**
 * A connection's long-lived shells, one for the login user and one for
 * root, each started on first use. `run` answers
 * `undefined` whenever the caller should open a channel of its own
 * instead: the shell is busy or still starting (commands on one host may
 * overlap: the lock's heartbeat, concurrent loop items), no channel is
 * free for it, or it could not start (sudo refused: the caller's own
 * channel then gets sudo's message for the task).
 */
export class ShellPool {
  readonly #sessions = new Map<string, ShellSession>();
  readonly #starting = new Set<string>();
  readonly #refused = new Set<string>();

  constructor(private readonly start: (become: Become | undefined) => Promise<ShellSession | undefined>) {}

  async run(text: string, become: Become | undefined): Promise<ExecResult | 'lost' | undefined> {
    const key = become?.user ?? '';
    // Only the login user and root: a shell keeps the groups its user had
    // when it started, and sudo to another user gives each command that
    // user's groups as they are now (a task may just have added one).
    // The login user's groups are fixed per connection anyway, as in Ansible.
    if ((key !== '' && key !== 'root') || this.#refused.has(key) || this.#starting.has(key)) return undefined;
    let session = this.#sessions.get(key);
    if (!session || session.dead) {
      this.#starting.add(key);
      try {
        session = await this.start(become);
      } finally {
        this.#starting.delete(key);
      }
      if (!session) return undefined;
      this.#sessions.set(key, session);
    }
    if (session.busy) return undefined;
    const o = await session.run(text);
    if (o.kind === 'done') return o.result;
    if (o.kind === 'lost') return 'lost';
    this.#refused.add(key);
    this.#sessions.delete(key);
    return undefined;
  }

  closeAll(): void {
    for (const s of this.#sessions.values()) s.close();
    this.#sessions.clear();
  }
}

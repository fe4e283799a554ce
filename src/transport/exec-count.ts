import type { Connection } from './connection.js';

/**
 * Counts the remote commands (execs) per host: the benchmark's measure of
 * round trips, reported in the `--json` events. One counter for the whole
 * run, wrapped around every connection the run opens, so no module or
 * runner code has to count.
 */
export class ExecCounter {
  readonly #total = new Map<string, number>();
  /** the total at the host's last `take`, for per-task deltas */
  readonly #taken = new Map<string, number>();

  wrap(conn: Connection): Connection {
    const host = conn.spec.name;
    return {
      spec: conn.spec,
      exec: (cmd, opts) => {
        this.#total.set(host, (this.#total.get(host) ?? 0) + 1);
        return conn.exec(cmd, opts);
      },
      close: () => conn.close(),
    };
  }

  /** All execs on `host` so far. */
  total(host: string): number {
    return this.#total.get(host) ?? 0;
  }

  /**
   * Execs on `host` since the previous `take` for it. A host runs one task
   * at a time, so taken at each of its results this is what that task cost
   * (the first also carries the connection's fact gathering).
   */
  take(host: string): number {
    const now = this.total(host);
    const delta = now - (this.#taken.get(host) ?? 0);
    this.#taken.set(host, now);
    return delta;
  }
}

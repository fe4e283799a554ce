import { HostKeyError, UnreachableError, type Connection, type ConnectionSpec } from '../transport/connection.js';
import { LocalConnection, localSpec } from '../transport/local.js';

export interface RetryPolicy {
  /** connection attempts after a drop before the host counts as unreachable */
  attempts: number;
  /** wait before the first new attempt; doubled after each failed one */
  firstDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, firstDelayMs: 1000 };

/**
 * The run's connections, one per host, opened on first use and closed by
 * `closeAll` (the runner, which opens them, closes them). A connection that
 * dropped is opened again with back-off before its host is given up: a
 * network blip costs seconds, not the host.
 */
export class Connections {
  readonly #open = new Map<string, Promise<Connection>>();
  /** opened ahead of a host's first command (prefetch), not yet asked for */
  readonly #ahead = new Map<string, Promise<Connection>>();
  #local: LocalConnection | undefined;

  constructor(
    private readonly connect: (spec: ConnectionSpec) => Promise<Connection>,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  get(spec: ConnectionSpec): Promise<Connection> {
    let c = this.#open.get(spec.name);
    if (!c) {
      c = this.#ahead.get(spec.name) ?? this.connect(spec);
      this.#ahead.delete(spec.name);
      c.catch(() => undefined);
      this.#open.set(spec.name, c);
    }
    return c;
  }

  /**
   * Starts connecting to hosts about to run, so that their handshakes go on
   * while their first task is prepared (its templates, the facts read ahead)
   * instead of after it. A connection opened ahead counts as the host's only
   * once a task asks for it (`get`): a host that ends up running nothing
   * is not reached (no lock, no run record), as before; its connection is
   * closed at the end. A host that cannot be reached fails where it did:
   * at its first command, with the same error. Returns how many it started.
   */
  prefetch(specs: readonly ConnectionSpec[]): number {
    let started = 0;
    for (const spec of specs) {
      if (spec.kind !== 'ssh' || this.#open.has(spec.name) || this.#ahead.has(spec.name)) continue;
      const c = this.connect(spec);
      c.catch(() => undefined);
      this.#ahead.set(spec.name, c);
      started++;
    }
    return started;
  }

  /** The controller itself, for `delegate_to: localhost`. */
  local(): Connection {
    this.#local ??= new LocalConnection(localSpec());
    return this.#local;
  }

  /**
   * After `dropped` failed with UnreachableError: a new connection, tried
   * `attempts` times with doubling waits. A refused host key is never retried.
   * Rejects with the last UnreachableError.
   */
  async reconnect(spec: ConnectionSpec, dropped: UnreachableError): Promise<Connection> {
    if (dropped instanceof HostKeyError) throw dropped;
    const old = this.#open.get(spec.name);
    await old?.then((c) => c.close()).catch(() => undefined);
    let last: UnreachableError = dropped;
    let delay = this.retry.firstDelayMs;
    for (let i = 0; i < this.retry.attempts; i++) {
      await this.sleep(delay);
      delay *= 2;
      const next = this.connect(spec);
      next.catch(() => undefined);
      this.#open.set(spec.name, next);
      try {
        return await next;
      } catch (err) {
        if (err instanceof HostKeyError || !(err instanceof UnreachableError)) throw err;
        last = err;
      }
    }
    throw new UnreachableError(spec.name, `${last.message} (gave up after ${this.retry.attempts} new attempts)`, { cause: last });
  }

  /** The live connections, by host name (for the journal's last write). */
  async live(): Promise<Map<string, Connection>> {
    const out = new Map<string, Connection>();
    for (const [name, c] of this.#open) {
      const conn = await c.catch(() => undefined);
      if (conn) out.set(name, conn);
    }
    return out;
  }

  async closeAll(): Promise<void> {
    const all = [...this.#open.values(), ...this.#ahead.values()];
    this.#open.clear();
    this.#ahead.clear();
    await Promise.all(all.map((c) => c.then((conn) => conn.close()).catch(() => undefined)));
    await this.#local?.close();
  }
}

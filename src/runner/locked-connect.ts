import { lockDirFor } from '../transport/host-paths.js';
import type { Connection, ConnectionSpec } from '../transport/connection.js';
import type { Cmd } from '../transport/quote.js';
import type { Reporter } from './events.js';
import { acquireLock, describeHolder, heartbeatCmd, HostLockedError, releaseCmd, type LockHolder } from './host-lock.js';
import type { RunOptions } from './options.js';
import { rootFor } from './outcome.js';
import { pendingFact } from './pending-handlers.js';

/** A holder refreshes its lock this often; one silent for STALE_AFTER_MS is gone. */
const HEARTBEAT_MS = 20_000;
const STALE_AFTER_MS = 90_000;

interface Held {
  conn: Connection;
  spec: ConnectionSpec;
  timer: NodeJS.Timeout;
}

/**
 * Opening a host's connection takes the host's run lock (not in --check):
 * a run waits up to --lock-timeout for another one, then its host fails
 * naming the holder, untouched. Reconnecting after a drop finds its own
 * lock. `releaseAll` lets go of every lock before the connections close.
 * The host's pending handler marks are read in the same round trip as the
 * lock (`pendingSeen`): without gather_facts they cost a command otherwise.
 * Likewise the release can ride on the run's last command on the host
 * (`releaseCmd`, then `released`): the run record.
 */
export function lockedConnect(
  connect: (spec: ConnectionSpec) => Promise<Connection>,
  opts: { runId: string; playbook: string; options: RunOptions; reporter: Reporter },
): {
  connect(spec: ConnectionSpec): Promise<Connection>;
  releaseAll(): Promise<void>;
  pendingSeen(host: string): Set<string> | undefined;
  releaseCmd(host: string): Cmd | undefined;
  released(host: string): void;
} {
  const held = new Map<string, Held>();
  const pending = new Map<string, Set<string>>();
  const me: LockHolder = { run: opts.runId, user: opts.options.user, playbook: opts.playbook, started: new Date().toISOString() };
  return {
    async connect(spec) {
      const conn = await connect(spec);
      if (opts.options.check) return conn;
      const marks = pendingFact(spec.name);
      const settings = { dir: lockDirFor(spec.name), timeoutMs: (opts.options.lockTimeoutS ?? 60) * 1000, staleAfterMs: STALE_AFTER_MS, pollMs: 1000, along: marks.command };
      const become = rootFor(spec);
      const got = await acquireLock(conn, me, settings, become);
      if (got.kind === 'acquired' && got.along !== undefined) pending.set(spec.name, marks.parse(got.along));
      if (got.kind === 'busy') {
        await conn.close();
        throw new HostLockedError(spec.name, got.holder, Math.round(got.waitedMs / 1000));
      }
      if (got.tookOverFrom) opts.reporter.event({ kind: 'warning', host: spec.name, message: `took over the lock of ${describeHolder(got.tookOverFrom)}: that run stopped without letting go` });
      clearInterval(held.get(spec.name)?.timer);
      const timer = setInterval(() => void conn.exec(heartbeatCmd(settings.dir, me.run), { become }).catch(() => undefined), HEARTBEAT_MS);
      timer.unref();
      held.set(spec.name, { conn, spec, timer });
      return conn;
    },
    /** the marks read with the lock, once (a reconnect's lock reads them again, unused) */
    pendingSeen(host) {
      const seen = pending.get(host);
      pending.delete(host);
      return seen;
    },
    /** the command that lets go of `host`'s lock, for a caller that runs it along with its own last command */
    releaseCmd(host) {
      return held.has(host) ? releaseCmd(lockDirFor(host), me.run) : undefined;
    },
    /** that caller ran it: releaseAll leaves the host alone */
    released(host) {
      clearInterval(held.get(host)?.timer);
      held.delete(host);
    },
    async releaseAll() {
      await Promise.all(
        [...held.values()].map(async (h) => {
          clearInterval(h.timer);
          await h.conn.exec(releaseCmd(lockDirFor(h.spec.name), me.run), { become: rootFor(h.spec) }).catch(() => undefined);
        }),
      );
      held.clear();
    },
  };
}

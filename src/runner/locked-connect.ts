import { lockDirFor } from '../transport/host-paths.js';
import { randomBytes } from 'node:crypto';
import type { Become, Connection, ConnectionSpec, ExecOptions, ExecResult } from '../transport/connection.js';
import { joinCmds, raw, type Cmd } from '../transport/quote.js';
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
 * The host's run lock, taken at the connection's first command: when that
 * is a quick read as root (the facts of the play's first tasks, read
 * ahead), it runs in the same round trip, once the lock is held, and its
 * output comes back as if it ran alone. Anything else waits for the lock
 * in a command of its own first. Every command after a lock that could not
 * be taken fails with the same error.
 */
class LockOnFirstUse implements Connection {
  #locked: Promise<ExecResult | undefined> | undefined;

  constructor(
    private readonly conn: Connection,
    private readonly lockAs: Become | undefined,
    private readonly take: (first: Cmd | undefined) => Promise<ExecResult | undefined>,
  ) {}

  get spec(): ConnectionSpec {
    return this.conn.spec;
  }

  async exec(cmd: Cmd, opts: ExecOptions = {}): Promise<ExecResult> {
    if (!this.#locked) {
      const along = opts.quick === true && opts.stdin === undefined && opts.become?.user === this.lockAs?.user;
      this.#locked = this.take(along ? cmd : undefined);
      const first = await this.#locked;
      if (along && first) return first;
    }
    await this.#locked;
    return this.conn.exec(cmd, opts);
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}

/** The lock's `along` output: the pending marks, then the first command's output and exit status. */
function splitAlong(out: string, sep: string): { marks: string; first: { rc: number; stdout: string } | undefined } {
  const at = out.startsWith(`${sep}\n`) ? 0 : out.indexOf(`\n${sep}\n`) + 1;
  const rest = out.slice(at + sep.length + 1);
  const end = rest.lastIndexOf(`\n${sep} `);
  if (at === 0 && !out.startsWith(sep)) return { marks: out, first: undefined };
  if (end < 0) return { marks: out.slice(0, at), first: undefined };
  return { marks: out.slice(0, at), first: { rc: Number(rest.slice(end + sep.length + 2).trim()), stdout: rest.slice(0, end) } };
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
  // where the command that rides along with the lock ends (LockOnFirstUse): nothing a host prints can guess it
  const sep = `--rosey-along-${randomBytes(12).toString('hex')}--`;
  const takeLock = async (spec: ConnectionSpec, conn: Connection, first: Cmd | undefined): Promise<ExecResult | undefined> => {
    const marks = pendingFact(spec.name);
    const along = first ? joinCmds([raw('('), marks.command, raw(`)\necho ${sep}\n(`), first, raw(`)\nrosey_rc=$?; echo; echo "${sep} $rosey_rc"`)], '\n') : marks.command;
    const settings = { dir: lockDirFor(spec.name), timeoutMs: (opts.options.lockTimeoutS ?? 60) * 1000, staleAfterMs: STALE_AFTER_MS, pollMs: 1000, along };
    const become = rootFor(spec);
    const got = await acquireLock(conn, me, settings, become);
    if (got.kind === 'busy') {
      await conn.close();
      throw new HostLockedError(spec.name, got.holder, Math.round(got.waitedMs / 1000));
    }
    const split = first && got.along !== undefined ? splitAlong(got.along, sep) : { marks: got.along, first: undefined };
    if (split.marks !== undefined) pending.set(spec.name, marks.parse(split.marks));
    if (got.tookOverFrom) opts.reporter.event({ kind: 'warning', host: spec.name, message: `took over the lock of ${describeHolder(got.tookOverFrom)}: that run stopped without letting go` });
    clearInterval(held.get(spec.name)?.timer);
    const timer = setInterval(() => void conn.exec(heartbeatCmd(settings.dir, me.run), { become }).catch(() => undefined), HEARTBEAT_MS);
    timer.unref();
    held.set(spec.name, { conn, spec, timer });
    return split.first && { ...split.first, stderr: got.stderr ?? '' };
  };
  return {
    async connect(spec) {
      const conn = await connect(spec);
      if (opts.options.check) return conn;
      return new LockOnFirstUse(conn, rootFor(spec), (first) => takeLock(spec, conn, first));
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

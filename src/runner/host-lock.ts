import { UserError } from '../errors/diagnostic.js';
import { posix } from 'node:path';
import { raw, sh, type Cmd } from '../transport/quote.js';
import { commandFailure } from './failure-message.js';
import type { Become, Connection } from '../transport/connection.js';

/**
 * One run at a time per host. CI applies on merge while a person may run
 * rollback.yml from a laptop: the second run waits for the first, then gives
 * up naming who holds the host. The lock is a directory (mkdir is atomic)
 * holding the holder's details; the holder touches it while it runs, so a
 * lock whose run died (controller killed, network gone) goes stale and is
 * taken over, said out loud. `--check` takes no lock.
 */
export interface LockHolder {
  run: string;
  user: string;
  playbook: string;
  started: string;
}

export interface LockSettings {
  /** the lock directory on the host */
  dir: string;
  /** how long to wait for another run to finish */
  timeoutMs: number;
  /** a holder silent this long is gone */
  staleAfterMs: number;
  /** how often to look again while waiting */
  pollMs: number;
  /** a command to run in the round trip that takes the lock (the pending handler marks): one round trip less */
  along?: Cmd;
}

export type LockOutcome =
  /** `along`: the output of the command that rode along (LockSettings.along) */
  | { kind: 'acquired'; tookOverFrom?: LockHolder; along?: string; stderr?: string }
  | { kind: 'busy'; holder: LockHolder | undefined; waitedMs: number };

/**
 * Take the lock, or report who has it (with its age in seconds). Once taken,
 * `along` runs in the same round trip (in a subshell), its output after the
 * `acquired` line.
 */
export function acquireCmd(dir: string, me: LockHolder, along?: Cmd): Cmd {
  const info = JSON.stringify(me);
  const got = along ? sh`echo acquired; (
${along}
); exit 0` : raw('echo acquired; exit 0');
  const parent = posix.dirname(dir);
  // along once, after either way of holding the lock: it is most of the command (the read-ahead's facts)
  return sh`d=${dir}; [ -d ${parent} ] || mkdir -p ${parent}
if mkdir "$d" 2>/dev/null; then printf '%s' ${info} > "$d/holder.json"; g=1; elif ${holds(me.run)}; then g=1; else g=; fi
if [ -n "$g" ]; then ${got}; fi
now=$(date +%s); then=$(stat -c %Y "$d/holder.json" 2>/dev/null || stat -c %Y "$d" 2>/dev/null || echo "$now")
echo "held $((now - then))"; cat "$d/holder.json" 2>/dev/null; true`;
}

/** Move a stale lock aside (atomic: of two runs taking over, one wins the rename) and take it. */
export function takeOverCmd(dir: string, me: LockHolder, along?: Cmd): Cmd {
  return sh`d=${dir}; mv "$d" "$d.stale.$$" 2>/dev/null && rm -rf "$d.stale.$$"; ${acquireCmd(dir, me, along)}`;
}

/** Still alive: only the holder named in the lock refreshes it. */
export function heartbeatCmd(dir: string, run: string): Cmd {
  return sh`d=${dir}; ${holds(run)} && touch "$d/holder.json"; true`;
}

export function releaseCmd(dir: string, run: string): Cmd {
  return sh`d=${dir}; ${holds(run)} && rm -rf "$d"; true`;
}

/**
 * Whether the lock at "$d" names this run: its one-line holder.json read and
 * matched by the shell itself (every run takes and lets go of every host's
 * lock: no grep to start).
 */
function holds(run: string): Cmd {
  return sh`{ h=; IFS= read -r h 2>/dev/null < "$d/holder.json"; case "$h" in *${`"run":${JSON.stringify(run)}`}*) true ;; *) false ;; esac; }`;
}

/** `rosey-apply unlock`: remove the lock whoever holds it; prints the holder it removed. */
export function breakCmd(dir: string): Cmd {
  return sh`d=${dir}; if [ -d "$d" ]; then cat "$d/holder.json" 2>/dev/null; echo; rm -rf "$d"; fi; true`;
}

export function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.run === 'string' && typeof v.user === 'string') {
      return { run: v.run, user: v.user, playbook: String(v.playbook ?? '?'), started: String(v.started ?? '?') };
    }
  } catch {
    // a holder file cut short: the lock is still held, by someone unknown
  }
  return undefined;
}

type Seen = { kind: 'acquired'; along: string } | { kind: 'held'; ageS: number; holder: LockHolder | undefined };

function parseAcquire(stdout: string): Seen {
  const [first = '', ...rest] = stdout.split('\n');
  if (first === 'acquired') return { kind: 'acquired', along: rest.join('\n') };
  const m = /^held (-?\d+)$/.exec(first);
  if (!m) throw new UserError({ severity: 'error', summary: `unexpected answer from the run lock command: ${first.slice(0, 80)}` });
  return { kind: 'held', ageS: Number(m[1]), holder: parseHolder(rest.join('\n')) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait for the host's lock up to the timeout; take over a stale one. */
export async function acquireLock(conn: Connection, me: LockHolder, s: LockSettings, become?: Become): Promise<LockOutcome> {
  const started = Date.now();
  let stale: LockHolder | undefined;
  let takeOver = false;
  for (;;) {
    const r = await conn.exec(takeOver ? takeOverCmd(s.dir, me, s.along) : acquireCmd(s.dir, me, s.along), { become });
    if (r.rc !== 0) throw new UserError({ severity: 'error', summary: commandFailure(`could not take the run lock ${s.dir}`, r.rc, r.stderr, become) });
    const seen = parseAcquire(r.stdout);
    if (seen.kind === 'acquired') return { kind: 'acquired', ...(takeOver ? { tookOverFrom: stale } : {}), ...(s.along ? { along: seen.along, stderr: r.stderr } : {}) };
    takeOver = seen.ageS * 1000 > s.staleAfterMs;
    if (takeOver) {
      stale = seen.holder;
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= s.timeoutMs) return { kind: 'busy', holder: seen.holder, waitedMs: waited };
    await sleep(Math.min(s.pollMs, s.timeoutMs - waited));
  }
}

/** The host is busy with another run: the task fails (exit 2), the host untouched. */
export class HostLockedError extends UserError {
  constructor(host: string, holder: LockHolder | undefined, waitedS: number) {
    super({
      severity: 'error',
      summary: `${host} is locked by ${describeHolder(holder)}; waited ${waitedS} s`,
      detail: 'Wait for that run to finish, or raise --lock-timeout. If that run is gone, `rosey-apply unlock -i <inventory> --limit <host>` breaks the lock.',
    });
    this.name = 'HostLockedError';
  }
}

export function describeHolder(h: LockHolder | undefined): string {
  return h ? `run ${h.run} by ${h.user} (${h.playbook}, started ${h.started})` : 'a run whose details could not be read';
}

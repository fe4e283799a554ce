import type { Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { NodeSSH, type Config } from 'node-ssh';
import type { AuthenticationType, Client, ClientChannel, ServerHostKeyAlgorithm } from 'ssh2';
import { BOOTSTRAP_COMMAND, invocation, stdinFor } from './become.js';
import { UnreachableError, type Become, type Connection, type ConnectionSpec, type ExecOptions, type ExecResult } from './connection.js';
import { fileMemo } from './file-memo.js';
import { hostKeyRefusal, verifierFor, type HostKeyCheck } from './known-hosts.js';
import { raw, type Cmd } from './quote.js';
import { ShellPool } from './shell-pool.js';
import { describe, signalRc, Slots, tcpConnect, type Dialing } from './ssh-socket.js';
import { ignoreHostKeysAnnouncement, signAtOnce, stopKeepalive } from './ssh2-login.js';
import { MAX_INLINE_STDIN, SHELL_SERVER, ShellSession, withStdin } from './shell-session.js';

export interface SshTuning {
  /** a silent drop is noticed after about interval × (countMax + 1) */
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** channels open at once on the connection; sshd's MaxSessions defaults to 10 */
  maxChannels: number;
  /** run commands without stdin through a long-lived shell per user (src/transport/shell-session.ts) */
  shellSessions: boolean;
  /** ssh2's protocol trace, one line per message (what was sent and received, never its content) */
  debug?: (line: string) => void;
}

export const DEFAULT_SSH_TUNING: SshTuning = { keepaliveIntervalMs: 4000, keepaliveCountMax: 3, maxChannels: 8, shellSessions: true };

/** Each private key file read once while it stays the same: the hosts of a run mostly share one. */
const keyText = fileMemo((text) => text);

/**
 * The private key, read here and at once (node-ssh would read it in turns
 * of the event loop, and the handshake would wait for the first task's
 * preparation to give the loop back).
 */
function readKey(spec: ConnectionSpec): string {
  try {
    return keyText(spec.privateKeyPath!);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `private key file ${spec.privateKeyPath} does not exist` : `cannot read private key file ${spec.privateKeyPath}: ${(e as Error).message}`;
    throw new UnreachableError(spec.name, `${where(spec)} unreachable: ${why}`, { cause: e });
  }
}

function where(spec: ConnectionSpec): string {
  return `${spec.name} (${spec.user}@${spec.address}:${spec.port})`;
}

/**
 * One SSH connection per host for the whole run (node-ssh over ssh2). An
 * exec goes to the long-lived shell of its user (ShellPool) when that shell
 * is free, else on a channel of its own, so execs may run concurrently. Keepalives turn
 * a silently dropped connection into an `UnreachableError` within about
 * 16 s instead of a hang.
 */
export class SshConnection implements Connection {
  #dead: UnreachableError | undefined;
  readonly #running = new Set<(e: UnreachableError) => void>();
  readonly #slots: Slots;
  readonly #shells: ShellPool | undefined;

  private constructor(
    readonly spec: ConnectionSpec,
    private readonly ssh: NodeSSH,
    private readonly client: Client,
    tuning: SshTuning,
    private readonly socket: Socket,
  ) {
    this.#slots = new Slots(tuning.maxChannels);
    this.#shells = tuning.shellSessions ? new ShellPool((become) => this.#startShell(become)) : undefined;
    let lastError: Error | undefined;
    client.on('error', (e: Error) => {
      lastError = e;
    });
    client.on('close', () => {
      const why = lastError ? `connection lost: ${lastError.message}` : 'connection closed';
      this.#kill(new UnreachableError(spec.name, `${where(spec)}: ${why}`, { cause: lastError }));
    });
  }

  /** Connects and authenticates, verifying the host key unless the spec opts out. */
  static async open(spec: ConnectionSpec, tuning: SshTuning = DEFAULT_SSH_TUNING, early?: Dialing): Promise<SshConnection> {
    const knownHostsPath = spec.knownHostsPath ?? join(homedir(), '.ssh', 'known_hosts');
    // Our own socket, for TCP_NODELAY: without it Nagle's algorithm and the
    // peer's delayed ACK add ~40 ms to every exec (measured: 47 ms -> 3.3 ms
    // per exec on the testbed). `early`: the caller began connecting before
    // loading ssh2, so sshd starts its session process meanwhile.
    const dialing = early ?? tcpConnect(spec.address, spec.port, spec.connectTimeoutMs);
    let check: HostKeyCheck | undefined;
    let privateKey: string | undefined;
    try {
      check = spec.hostKeyChecking ? verifierFor(spec, knownHostsPath) : undefined;
      privateKey = spec.privateKeyPath ? readKey(spec) : undefined;
    } catch (e) {
      dialing.socket.destroy();
      throw e;
    }
    const config: Config = {
      // handed over while it may still be connecting: ssh2 sends its banner
      // from the socket's own 'connect' event, not once this function gets
      // its turn again (measured: the first task's preparation went first,
      // 25-40 ms, while sshd waited)
      sock: dialing.socket,
      host: spec.address,
      port: spec.port,
      username: spec.user,
      readyTimeout: spec.connectTimeoutMs,
      keepaliveInterval: tuning.keepaliveIntervalMs,
      keepaliveCountMax: tuning.keepaliveCountMax,
      ...(privateKey !== undefined ? { privateKey } : {}),
      ...(process.env.SSH_AUTH_SOCK ? { agent: process.env.SSH_AUTH_SOCK } : {}),
      ...(tuning.debug ? { debug: tuning.debug } : {}),
      // ssh2 first asks for "none", a round trip that every sshd refuses
      authHandler: [spec.privateKeyPath ? 'publickey' : undefined, process.env.SSH_AUTH_SOCK ? 'agent' : undefined].filter((m): m is AuthenticationType => m !== undefined),
      ...(check ? { hostVerifier: check.verify, algorithms: { serverHostKey: check.algorithms as ServerHostKeyAlgorithm[] } } : {}),
    };
    const ssh = new NodeSSH();
    try {
      // node-ssh makes its ssh2 client at once (the key is given as text)
      const connecting = ssh.connect(config);
      ignoreHostKeysAnnouncement(ssh.connection);
      signAtOnce(ssh.connection);
      await Promise.all([dialing.connected, connecting]);
    } catch (e) {
      ssh.dispose();
      dialing.socket.destroy();
      // a TCP failure in our words (what to check), not ssh2's
      const tcp = await dialing.connected.then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      if (tcp) throw new UnreachableError(spec.name, `${where(spec)} unreachable: ${tcp.message}`, { cause: tcp });
      const refused = check && hostKeyRefusal(check);
      if (refused) throw refused;
      const reason = e instanceof Error ? e.message : String(e);
      throw new UnreachableError(spec.name, `${where(spec)} unreachable: ${describe(reason, spec)}`, { cause: e });
    }
    if (!ssh.connection) throw new UnreachableError(spec.name, `${where(spec)}: connection closed right after login`);
    return new SshConnection(spec, ssh, ssh.connection, tuning, dialing.socket);
  }

  async exec(cmd: Cmd, opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.#dead) throw this.#dead;
    const stdin = typeof opts.stdin === 'string' ? Buffer.from(opts.stdin, 'utf8') : opts.stdin;
    if (this.#shells && (stdin === undefined || stdin.length <= MAX_INLINE_STDIN)) {
      const text = stdin?.length ? withStdin(cmd.text, stdin) : cmd.text;
      const r = await this.#shells.run(text, opts.become);
      if (r === 'lost') {
        // the connection's own close, which says why, may follow in this tick
        await new Promise((res) => setImmediate(res));
        throw this.#lost('the connection dropped before the command finished');
      }
      if (r) return r;
    }
    const input = stdinFor(invocation(cmd, opts.become), stdin);
    await this.#slots.acquire();
    try {
      return await this.#run(BOOTSTRAP_COMMAND, input);
    } finally {
      this.#slots.release();
    }
  }

  async close(): Promise<void> {
    if (this.#dead) return;
    this.#shells?.closeAll();
    this.#kill(new UnreachableError(this.spec.name, `${where(this.spec)}: connection already closed`));
    this.ssh.dispose();
    stopKeepalive(this.client);
    // The disconnect is sent (on the next tick: writes are corked until
    // then); sshd answers it by closing the connection ~10 ms later, which
    // nothing needs to wait for: the socket no longer holds the process.
    // A host that never closes is cut off after 2 s.
    this.socket.unref();
    setTimeout(() => this.socket.destroy(), 2000).unref();
    await new Promise((r) => setImmediate(r));
  }

  #kill(err: UnreachableError): void {
    if (this.#dead) return;
    this.#dead = err;
    for (const fail of [...this.#running]) fail(err);
  }

  async #run(text: string, stdin: Buffer): Promise<ExecResult> {
    const opened = await this.#open(text);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (e: UnreachableError) => {
        if (settled) return;
        settled = true;
        this.#running.delete(fail);
        reject(e);
      };
      this.#running.add(fail);
      if (this.#dead) return fail(this.#dead);
      const done = (r: ExecResult) => {
        if (settled) return;
        settled = true;
        this.#running.delete(fail);
        resolve(r);
      };
      this.#collect(opened, stdin, done, () => fail(this.#lost('the connection dropped before the command finished')));
    });
  }

  /** A long-lived shell as `become`'s user on a channel of its own, if one is free. */
  async #startShell(become: Become | undefined): Promise<ShellSession | undefined> {
    if (this.#dead || !this.#slots.tryAcquire()) return undefined;
    let opened: Opened;
    try {
      opened = await this.#open(BOOTSTRAP_COMMAND);
    } catch {
      this.#slots.release();
      return undefined;
    }
    const { stream } = opened;
    stream.on('error', () => undefined);
    const prelude = stdinFor(invocation(raw(SHELL_SERVER), become), undefined);
    return new ShellSession(
      {
        write: (b) => void stream.write(b),
        onStdout: (fn) => void stream.on('data', fn),
        onStderr: (fn) => void stream.stderr.on('data', fn),
        onClose: (fn) =>
          opened.onClose(() => {
            this.#slots.release();
            fn();
          }),
        end: () => void stream.end(),
      },
      prelude,
    );
  }

  #lost(why: string): UnreachableError {
    return this.#dead ?? new UnreachableError(this.spec.name, `${where(this.spec)}: ${why}`);
  }

  /**
   * Opens an exec channel. sshd frees a session slot a moment after the
   * channel closes, so a refusal on a live connection is retried briefly.
   */
  async #open(text: string): Promise<Opened> {
    for (let attempt = 1; ; attempt++) {
      if (this.#dead) throw this.#dead;
      const r = await new Promise<Opened | Error>((resolve) => {
        try {
          // exit and close are recorded here, in ssh2's own callback: a fast
          // command's exit-status and close can arrive in the same packet as
          // the open confirmation, before an awaiting caller could listen
          this.client.exec(text, (err, stream) => resolve(err ?? record(stream)));
        } catch (e) {
          resolve(e instanceof Error ? e : new Error(String(e)));
        }
      });
      if (!(r instanceof Error)) return r;
      if (this.#dead || attempt >= 20 || !/open failed/i.test(r.message)) throw this.#lost(`cannot open a channel: ${r.message}`);
      await new Promise((res) => setTimeout(res, 25 * attempt));
    }
  }

  #collect(opened: Opened, stdin: Buffer, done: (r: ExecResult) => void, dropped: () => void): void {
    const { stream } = opened;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stream.on('data', (b: Buffer) => out.push(b));
    stream.stderr.on('data', (b: Buffer) => err.push(b));
    // Writing to a command that has already exited is not an error: its exit status says what happened.
    stream.on('error', () => undefined);
    opened.onClose(() => {
      const exit = opened.exit;
      // No exit status means the channel died with the connection; the
      // connection's own close, which says why, may follow in this tick.
      if (!exit) return void setImmediate(dropped);
      done({
        rc: exit.code ?? signalRc(exit.signal),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    stream.end(stdin);
  }
}

/** A channel with its exit and close remembered from the moment it opened. */
interface Opened {
  stream: ClientChannel;
  exit?: { code: number | null; signal?: string };
  onClose(fn: () => void): void;
}

function record(stream: ClientChannel): Opened {
  let closed = false;
  let waiter: (() => void) | undefined;
  const opened: Opened = {
    stream,
    onClose(fn) {
      if (closed) fn();
      else waiter = fn;
    },
  };
  stream.on('exit', (code: number | null, signal?: string) => {
    opened.exit = { code, ...(signal ? { signal } : {}) };
  });
  stream.on('close', () => {
    closed = true;
    waiter?.();
  });
  return opened;
}

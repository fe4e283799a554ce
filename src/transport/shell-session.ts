import { randomBytes } from 'node:crypto';
import type { ExecResult } from './connection.js';

/**
 * The script a long-lived shell runs: read a request (a token, a size and
 * its unit, then the script), run the script in a subshell with stdin from
 * /dev/null, then write the token and exit status after its stdout, and the
 * token after its stderr. A command costs one round trip and a fork instead
 * of an SSH channel, a login shell and a sudo (measured on the testbed: 50
 * small commands through one shell took 0.16 s, through `sudo -n sh -c`
 * each 2.5 s). A subshell, not a `sh` of its own: with its own `sh` (and
 * the `cat` that read the script into it) a command cost ~1.3-1.7 ms of
 * the host's CPU, in a subshell ~0.2 ms (dash, bench/subshell.sh).
 * `cd`, variables, `umask`, `exit` and traps still stay inside the command;
 * what differs is `$$`, which is the server's (Rosey's own scripts never
 * use it; a user's `shell` text that does sees the server's). The
 * script is never on a command line that `ps` would show: `eval` is a
 * builtin, and the server's variables are unset before the script runs.
 *
 * Two ways to carry it, by size. A small script comes as lines, which the
 * server reads itself. A large one comes as a byte count, read with
 * `head -c` (which never reads past its count, so the next request stays in
 * the stream). The shell's `read` takes one byte per system call: a 52 KB
 * fact script cost ~90 ms of host CPU that way, against one `head` process
 * (~1 ms) the other (measured on the testbed, bench/README.md). `$( )` drops
 * the script's trailing newlines, which a script does not miss.
 */
export const SHELL_SERVER = [
  // without head, large scripts could not be read: the shell does not start, and commands go the channel way
  'command -v head >/dev/null 2>&1 || exit 125',
  "printf 'rosey-shell 3\\n'",
  'while IFS= read -r rosey_t; do',
  '  rosey_n=${rosey_t##* }; rosey_u=${rosey_t#* }; rosey_u=${rosey_u%% *}; rosey_t=${rosey_t%% *}; rosey_s=',
  '  if [ "$rosey_u" = b ]; then',
  '    rosey_s=$(head -c "$rosey_n") || exit 125',
  '  else',
  '    while [ "$rosey_n" -gt 0 ]; do IFS= read -r rosey_l || exit 125; rosey_s="$rosey_s$rosey_l',
  '"; rosey_n=$((rosey_n - 1)); done',
  '  fi',
  '  (eval "unset rosey_t rosey_n rosey_u rosey_l rosey_s',
  '$rosey_s") </dev/null',
  "  printf '\\n%s %s\\n' \"$rosey_t\" \"$?\"",
  "  printf '\\n%s\\n' \"$rosey_t\" >&2",
  'done',
].join('\n');

/** Scripts up to this size travel as lines (no process to read them); larger ones as a byte count read by `head -c`. */
export const LINES_UP_TO = 1024;

/** A request for the server: its header line, then the script. */
export function request(token: string, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  if (body.length <= LINES_UP_TO) return Buffer.from(`${token} l ${text.split('\n').length}\n${text}\n`, 'utf8');
  return Buffer.concat([Buffer.from(`${token} b ${body.length}\n`), body]);
}

const READY = Buffer.from('rosey-shell 3\n');

/** Larger stdin goes on a channel of its own: the shell reads a script line by line, and the encoding grows it. */
export const MAX_INLINE_STDIN = 64 * 1024;

/**
 * A script that feeds `stdin` to `script` itself, for a shell that gives
 * commands no stdin of their own: the bytes as one `printf` format, every
 * byte that is not plain printable ASCII (and ', \\, %) as an octal escape,
 * so any bytes, NUL included, arrive exactly and nothing in them is syntax.
 */
export function withStdin(script: string, stdin: Uint8Array): string {
  return `${printfBytes(stdin)} | {\n${script}\n}`;
}

/** A `printf` that prints exactly these bytes, NUL included, nothing in them read as syntax. */
export function printfBytes(bytes: Uint8Array): string {
  return `printf '${Array.from(bytes, (b) => PRINTF_BYTE[b]).join('')}'`;
}

/** Each byte as it stands in a single-quoted printf format. */
const PRINTF_BYTE = Array.from({ length: 256 }, (_, b) =>
  b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c && b !== 0x25 ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`,
);

/** Both ends of the shell's channel, as the session needs them. */
export interface ShellPipe {
  write(b: Buffer): void;
  onStdout(fn: (b: Buffer) => void): void;
  onStderr(fn: (b: Buffer) => void): void;
  onClose(fn: () => void): void;
  /** ends the shell (its stdin); the channel then closes */
  end(): void;
}

/**
 * What became of a command sent to the shell: its result; `unstarted` when
 * the shell ended before it ever ran anything (sudo refused, no POSIX sh),
 * so the command may be sent another way; `lost` when the shell ended
 * while the command ran, so nobody knows whether it finished.
 */
export type ShellOutcome = { kind: 'done'; result: ExecResult } | { kind: 'unstarted'; stderr: string } | { kind: 'lost' };

/**
 * One of a command's output streams as it arrives: its chunks, and its last
 * bytes (where the trailer will be) as text, kept small so that a large
 * output is never searched.
 */
class Capture {
  static readonly TAIL = 64;
  readonly #chunks: Buffer[] = [];
  #tail: Buffer = Buffer.alloc(0);

  /** Adds a chunk; returns the stream's last bytes so far. */
  add(b: Buffer): string {
    this.#chunks.push(b);
    const joined = b.length >= Capture.TAIL ? b : Buffer.concat([this.#tail, b]);
    this.#tail = joined.subarray(Math.max(0, joined.length - Capture.TAIL));
    return this.#tail.toString('latin1');
  }

  /** Everything but its last `trailer` bytes, as text. */
  text(trailer: number): string {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(0, all.length - trailer).toString('utf8');
  }
}

interface Pending {
  /** what starts the end of its stdout, before the exit status: a newline and the token */
  outEnd: string;
  /** the end of its stderr: a newline, the token, a newline */
  errEnd: string;
  out: Capture;
  err: Capture;
  /** once its stdout has ended: the exit status, and the length of its trailer */
  exit?: { rc: number; trailer: number };
  errDone: boolean;
  settle: (o: ShellOutcome) => void;
}

/**
 * One long-lived shell on one channel, for commands whose stdin, if any, is
 * written into their script (withStdin). It runs one command at a time:
 * `busy` tells the caller to use a channel of its own meanwhile. The
 * trailers name a random token per command, so no output can fake the end
 * of a command; bytes that arrive when no command runs (a background
 * process writing to the shell's stdout) end the session rather than leak
 * into the next result.
 */
export class ShellSession {
  #ready = false;
  #dead = false;
  #pending: Pending | undefined;
  #preReady: Buffer = Buffer.alloc(0);
  readonly #startErr: Buffer[] = [];

  constructor(
    private readonly pipe: ShellPipe,
    prelude: Buffer,
  ) {
    pipe.onStdout((b) => this.#stdout(b));
    pipe.onStderr((b) => this.#stderr(b));
    pipe.onClose(() => this.#closed());
    pipe.write(prelude);
  }

  get busy(): boolean {
    return this.#pending !== undefined;
  }

  get dead(): boolean {
    return this.#dead;
  }

  run(text: string): Promise<ShellOutcome> {
    if (this.#dead || this.#pending) throw new Error('shell session is busy or gone');
    const token = randomBytes(16).toString('hex');
    return new Promise((settle) => {
      this.#pending = { outEnd: `\n${token} `, errEnd: `\n${token}\n`, out: new Capture(), err: new Capture(), errDone: false, settle };
      this.pipe.write(request(token, text));
    });
  }

  close(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.pipe.end();
  }

  #stdout(b: Buffer): void {
    if (!this.#ready) {
      // whatever a login shell printed before the server started is not a result
      const seen = Buffer.concat([this.#preReady, b]);
      const at = seen.indexOf(READY);
      if (at < 0) {
        this.#preReady = seen.subarray(Math.max(0, seen.length - READY.length));
        return;
      }
      this.#ready = true;
      this.#preReady = Buffer.alloc(0);
      b = seen.subarray(at + READY.length);
      if (b.length === 0) return;
    }
    const p = this.#pending;
    if (!p || p.exit) return this.#desync();
    const exit = exitStatusAtEnd(p.out.add(b), p.outEnd);
    if (!exit) return;
    p.exit = { rc: Number(exit.status), trailer: exit.length };
    this.#maybeDone();
  }

  #stderr(b: Buffer): void {
    const p = this.#pending;
    if (!this.#ready || !p) {
      if (!this.#ready) this.#startErr.push(b);
      return;
    }
    if (p.errDone) return this.#desync();
    if (!p.err.add(b).endsWith(p.errEnd)) return;
    p.errDone = true;
    this.#maybeDone();
  }

  #maybeDone(): void {
    const p = this.#pending;
    if (!p?.exit || !p.errDone) return;
    this.#pending = undefined;
    p.settle({ kind: 'done', result: { rc: p.exit.rc, stdout: p.out.text(p.exit.trailer), stderr: p.err.text(p.errEnd.length) } });
  }

  /** Output nobody asked for: the stream can no longer be trusted. */
  #desync(): void {
    const p = this.#pending;
    this.#pending = undefined;
    this.close();
    p?.settle({ kind: 'lost' });
  }

  #closed(): void {
    this.#dead = true;
    const p = this.#pending;
    this.#pending = undefined;
    if (!p) return;
    p.settle(this.#ready ? { kind: 'lost' } : { kind: 'unstarted', stderr: Buffer.concat(this.#startErr).toString('utf8') });
  }
}

/** The exit status when `tail` ends with `trailer`, digits and a newline; with the length of all that. */
function exitStatusAtEnd(tail: string, trailer: string): { status: string; length: number } | undefined {
  if (!tail.endsWith('\n')) return undefined;
  const at = tail.lastIndexOf(trailer);
  if (at < 0) return undefined;
  const status = tail.slice(at + trailer.length, -1);
  return /^\d+$/.test(status) ? { status, length: tail.length - at } : undefined;
}

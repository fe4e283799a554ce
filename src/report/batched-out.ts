/** Where a reporter writes its lines: a stream, or a BatchedOut in front of one. */
export interface LineSink {
  write(text: string): unknown;
}

const unflushed = new Set<BatchedOut>();
let exitHook = false;

/** Writes every reporter's pending lines now: before an error goes to stderr, so the two keep their order. */
export function flushAllOut(): void {
  for (const b of unflushed) b.flush();
}

/**
 * A reporter's lines, written once per turn of the event loop instead of
 * once per line. Many hosts' results arrive in one turn (their sockets are
 * read together), and every write to a pipe is a system call and a wake-up
 * of whoever reads it: a 50-host no-change run with --json made 309 writes
 * to stdout next to 719 to its hosts. The lines keep their order; what is
 * left is written by `flush` (the reporter's close) and, for a run that
 * ends with process.exit, at exit.
 */
export class BatchedOut implements LineSink {
  #pending: string[] = [];
  #scheduled = false;

  constructor(private readonly out: LineSink) {}

  write(text: string): boolean {
    this.#pending.push(text);
    unflushed.add(this);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', flushAllOut);
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
    return true;
  }

  flush(): void {
    unflushed.delete(this);
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.out.write(text);
  }
}

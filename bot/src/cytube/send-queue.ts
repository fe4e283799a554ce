export interface RateLimit {
  /** Messages allowed back to back after a quiet period. */
  burst: number;
  /** Messages per second once the burst is spent. */
  sustained: number;
  /** Quiet time after which the burst is available again. */
  cooldownMs: number;
  maxQueue: number;
}

export type DropReason = 'queue-full' | 'not-connected';

/**
 * Outgoing chat, paced so CyTube's antiflood never drops a line. The server's
 * limiter (util.newRateLimiter in calzoneman/sync) lets `burst` lines through,
 * then one line per 1/sustained seconds, and only forgets the burst after
 * `cooldown` seconds of silence: a token bucket that refills while busy would
 * overrun it, so this keeps the same model with our own, lower, numbers.
 */
export class SendQueue<T> {
  readonly #items: T[] = [];
  #count = 0;
  #last = -Infinity;
  #pausedUntil = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly limit: RateLimit,
    /** Sends one line; returns false when there is no connection to send on. */
    private readonly send: (item: T) => boolean,
    private readonly onDrop: (reason: DropReason, item: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get length(): number {
    return this.#items.length;
  }

  push(item: T): boolean {
    if (this.#stopped) return false;
    if (this.#items.length >= this.limit.maxQueue) {
      this.onDrop('queue-full', item);
      return false;
    }
    this.#items.push(item);
    this.#schedule();
    return true;
  }

  /** The server said we were too fast: send nothing for `ms`. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + ms);
    this.#count = this.limit.burst;
    this.#reschedule();
  }

  /** Drop what is waiting (the connection is gone; stale replies help nobody). */
  clear(): void {
    for (const item of this.#items.splice(0)) this.onDrop('not-connected', item);
    this.#reschedule();
  }

  stop(): void {
    this.#stopped = true;
    this.#items.length = 0;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Earliest time the next line may go, following the server's limiter model. */
  #nextSendAt(now: number): number {
    if (now < this.#pausedUntil) return this.#pausedUntil;
    if (now - this.#last >= this.limit.cooldownMs) return now;
    if (this.#count < this.limit.burst) return now;
    return Math.max(now, this.#last + 1000 / this.limit.sustained);
  }

  #reschedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer || this.#stopped || this.#items.length === 0) return;
    const wait = Math.max(0, this.#nextSendAt(this.now()) - this.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, wait);
  }

  #flush(): void {
    const now = this.now();
    if (this.#nextSendAt(now) > now) return this.#schedule();
    if (this.#items.length === 0) return;
    const item = this.#items.shift() as T;
    if (!this.send(item)) {
      this.onDrop('not-connected', item);
    } else {
      this.#count = now - this.#last >= this.limit.cooldownMs ? 1 : this.#count + 1;
      this.#last = now;
    }
    this.#schedule();
  }
}

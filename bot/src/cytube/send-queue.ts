export interface RateLimit {
  /** Messages allowed back to back after a quiet period. */
  burst: number;
  /** Messages per second once the burst is spent. */
  sustained: number;
  /** Quiet time after which the burst is available again. */
  cooldownMs: number;
  maxQueue: number;
}

export type DropReason = 'queue-full' | 'not-connected' | 'refused';

/** A refused line is sent again at most this many times. */
export const MAX_RESENDS = 3;
/** A line the server has neither echoed nor refused by then is forgotten (some drops are silent, e.g. no chat permission). */
const IN_FLIGHT_MS = 10_000;

interface Queued<T> {
  item: T;
  /** Order of push: a line sent again goes back to its place, ahead of later ones. */
  seq: number;
  resends: number;
}

interface InFlight<T> extends Queued<T> {
  sentAt: number;
}

/**
 * Outgoing chat, paced so CyTube's antiflood does not drop a line, and
 * re-sent when it does. The server's limiter (util.newRateLimiter in
 * calzoneman/sync) lets `burst` lines through, then one line per
 * 1/sustained seconds, and only forgets the burst after `cooldown` seconds of
 * silence: a token bucket that refills while busy would overrun it, so this
 * keeps the same model with our own, lower, numbers. A line it refuses comes
 * back as `cooldown` with the time to wait (1000 / the channel's sustained
 * rate): the queue holds for that long, goes no faster than that from then
 * on, and sends the line again, without bursts from then on.
 *
 * Lines sent stay "in flight" until the server answers for them, oldest
 * first (it handles a socket's frames in order): settle() when it echoed
 * one, refused() when it sent `cooldown`.
 */
export class SendQueue<T> {
  readonly #items: Queued<T>[] = [];
  #seq = 0;
  readonly #inFlight: InFlight<T>[] = [];
  #count = 0;
  #last = -Infinity;
  #pausedUntil = -Infinity;
  /** The channel's own interval, learned from its cooldown answers. */
  #serverIntervalMs = 0;
  /**
   * Set once the channel refused a line: our burst and cooldown were too much
   * for it, and we cannot know its own (`cooldown` names only its rate), so
   * no more bursts: one line per interval until the connection ends.
   */
  #noBurst = false;
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
    this.#items.push({ item, seq: this.#seq++, resends: 0 });
    this.#schedule();
    return true;
  }

  /** The server answered for the oldest line in flight that `match`es (its echo, or a refusal of its own kind). */
  settle(match: (item: T) => boolean): T | undefined {
    this.#forgetStale();
    const i = this.#inFlight.findIndex((f) => match(f.item));
    return i < 0 ? undefined : this.#inFlight.splice(i, 1)[0]?.item;
  }

  /**
   * The server's antiflood refused the oldest line in flight and named the
   * wait: send nothing for `ms`, never again faster than that, then send the
   * line again (up to MAX_RESENDS times). Returns the line and whether it goes again.
   */
  refused(ms: number): { item: T; again: boolean } | undefined {
    this.#forgetStale();
    const now = this.now();
    this.#pausedUntil = Math.max(this.#pausedUntil, now + ms);
    // A little over the channel's interval: lines that leave exactly that far apart can arrive closer.
    this.#serverIntervalMs = Math.max(this.#serverIntervalMs, ms * 1.1);
    this.#noBurst = true;
    const refused = this.#inFlight.shift();
    if (refused && refused.resends < MAX_RESENDS) {
      const at = this.#items.findIndex((q) => q.seq > refused.seq);
      this.#items.splice(at < 0 ? this.#items.length : at, 0, { item: refused.item, seq: refused.seq, resends: refused.resends + 1 });
    } else if (refused) this.onDrop('refused', refused.item);
    this.#reschedule();
    return refused && { item: refused.item, again: refused.resends < MAX_RESENDS };
  }

  /** Drop what is waiting (the connection is gone; stale replies help nobody). */
  clear(): void {
    this.#inFlight.length = 0;
    this.#noBurst = false;
    this.#serverIntervalMs = 0;
    for (const { item } of this.#items.splice(0)) this.onDrop('not-connected', item);
    this.#reschedule();
  }

  stop(): void {
    this.#stopped = true;
    this.#items.length = 0;
    this.#inFlight.length = 0;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Earliest time the next line may go, following the server's limiter model. */
  #nextSendAt(now: number): number {
    if (now < this.#pausedUntil) return this.#pausedUntil;
    if (!this.#noBurst && (this.#quietFor(now) >= this.limit.cooldownMs || this.#count < this.limit.burst)) return now;
    return Math.max(now, this.#last + Math.max(1000 / this.limit.sustained, this.#serverIntervalMs));
  }

  #quietFor(now: number): number {
    return now - this.#last;
  }

  #forgetStale(): void {
    const cutoff = this.now() - IN_FLIGHT_MS;
    while (this.#inFlight.length > 0 && (this.#inFlight[0] as InFlight<T>).sentAt < cutoff) this.#inFlight.shift();
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
    const next = this.#items.shift();
    if (!next) return;
    if (!this.send(next.item)) {
      this.onDrop('not-connected', next.item);
    } else {
      this.#count = this.#quietFor(now) >= this.limit.cooldownMs ? 1 : this.#count + 1;
      this.#last = now;
      this.#forgetStale();
      this.#inFlight.push({ ...next, sentAt: now });
    }
    this.#schedule();
  }
}

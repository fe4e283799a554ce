/**
 * CyTube's per-user chat limiter, as documented by its behaviour in
 * calzoneman/sync (util.newRateLimiter): the first `burst` lines pass, then
 * one line per 1/sustained seconds; `cooldown` seconds of silence forget the
 * burst. A line that comes too early is dropped (the server answers it with
 * a `cooldown` event), not queued.
 */
export interface AntifloodParams {
  burst: number;
  sustained: number;
  /** Seconds; CyTube defaults it to burst / sustained. */
  cooldown?: number;
}

/** CyTube's channel default when chat_antiflood is on. */
export const CHANNEL_ANTIFLOOD: AntifloodParams = { burst: 4, sustained: 1, cooldown: 4 };

export class Antiflood {
  #count = 0;
  #last = 0;

  constructor(
    private readonly params: AntifloodParams,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the line must be dropped. CyTube passes other params for PMs and moderators to the same limiter. */
  throttle(params: AntifloodParams = this.params): boolean {
    const { burst, sustained } = params;
    const cooldownMs = (params.cooldown ?? burst / sustained) * 1000;
    const now = this.now();
    if (now - this.#last > cooldownMs) {
      this.#count = 1;
      this.#last = now;
      return false;
    }
    if (this.#count < burst) {
      this.#count++;
      this.#last = now;
      return false;
    }
    if (now - this.#last < 1000 / sustained) return true;
    this.#last = now;
    return false;
  }
}

/**
 * A leading + trailing throttle, the kind CyTube wraps its `usercount`
 * broadcast in (USERCOUNT_THROTTLE, 10 s): the first call runs at once, calls
 * during the next `ms` collapse into one run at the end of the window, which
 * reads the state of that moment. So a client's count can lag by up to `ms`.
 */
export class Throttle {
  #last = -Infinity;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly run: () => void,
  ) {}

  call(): void {
    if (this.#timer) return;
    const wait = this.#last + this.ms - Date.now();
    if (wait <= 0) return this.#fire();
    this.#timer = setTimeout(() => this.#fire(), wait);
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#last = Date.now();
    this.run();
  }
}

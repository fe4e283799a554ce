/**
 * A value that must never be printed. Every printer masks it: String(),
 * JSON.stringify and util.inspect (console.log) all show the mask; only
 * `reveal()` gives the value, for the one place that needs it (a quoted
 * shell word, a login). Shared by the engine and the bot.
 */
export const MASK = '********';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return MASK;
  }
  toJSON(): string {
    return MASK;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${MASK})`;
  }
}

export function secret(value: string): Secret {
  return new Secret(value);
}

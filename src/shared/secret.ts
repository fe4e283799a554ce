/**
 * A value that must never be printed. Every printer masks it: String(),
 * JSON.stringify and util.inspect (console.log) all show the mask; only
 * `reveal()` gives the value, for the one place that needs it (a quoted
 * shell word, a login). Shared by the engine and the bot. The value is also
 * remembered (mask.ts), so that text it ends up in is masked too.
 */
import { maskSecrets, rememberSecret } from './mask.js';

export { anySecrets } from './mask.js';

export const MASK = '********';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
    rememberSecret(value);
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

/** `text` with every secret value this process knows shown as ********. */
export function maskText(text: string): string {
  return maskSecrets(text, MASK);
}

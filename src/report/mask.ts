import { anySecrets, maskText } from '../shared/secret.js';
import type { Reporter, RunEvent } from '../runner/events.js';

/**
 * Secret values masked in everything people or files get to see: every
 * string of a value (an event, a run record) has each known secret value
 * replaced by ********. A Secret object already prints as the mask; this
 * catches the value after a template turned it into text: a config line in
 * --diff, a rendered command in an error, a registered stdout.
 */
export function maskDeep<T>(value: T): T {
  if (!anySecrets()) return value;
  return walk(value, new WeakMap()) as T;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return Array.isArray(v) || proto === Object.prototype || proto === null;
}

function walk(v: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof v === 'string') return maskText(v);
  // class instances (Secret, Buffer, Error, Map) are left alone: they print themselves
  if (typeof v !== 'object' || v === null || !isPlain(v)) return v;
  const hit = seen.get(v);
  if (hit !== undefined) return hit;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(walk(x, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  for (const [k, x] of Object.entries(v)) out[k] = walk(x, seen);
  return out;
}

/** A reporter that sees every event with secret values masked (plain, tty, json alike). */
export function maskingReporter(inner: Reporter): Reporter {
  return {
    event: (e: RunEvent) => inner.event(maskDeep(e)),
    close: () => inner.close(),
  };
}

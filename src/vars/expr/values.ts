import { Secret } from '../../transport/quote.js';

/**
 * An undefined value carried through the evaluation instead of thrown at
 * once, so `x is defined`, `a.b.c is defined` and `x | default(1)` can look
 * at it. Any other use forces it (`force`), which is the user's error.
 */
export class Undefined {
  constructor(
    /** the reference as written: "a.b.c" */
    readonly path: string,
    /** the part that is missing: "a" when a is undefined, "b" when a has no b */
    readonly missing: string,
    /** names that do exist where `missing` was looked up, for "did you mean" */
    readonly candidates: readonly string[],
  ) {}
}

/** A mistake found while evaluating; `pos` is the offset in the expression. */
export class EvalError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    readonly hint?: string,
    readonly undefinedRef?: Undefined,
  ) {
    super(message);
  }
}

export function force<T>(v: T | Undefined, pos: number): T {
  if (v instanceof Undefined) {
    const root = v.path === v.missing;
    const message = root ? `undefined variable "${v.path}"` : `undefined variable "${v.path}" (no "${v.missing}" there)`;
    throw new EvalError(message, pos, undefined, v);
  }
  return v;
}

/** The value as operators see it: a Secret compares and measures as its real text. */
export function plain(v: unknown): unknown {
  return v instanceof Secret ? v.reveal() : v;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Secret);
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Secret) return 'string';
  if (typeof v === 'object') return 'map';
  return typeof v;
}

/** Python truthiness, which is what Ansible users expect: '', 0, [], {} and none are false. */
export function truthy(v: unknown): boolean {
  const p = plain(v);
  if (p === null || p === undefined) return false;
  if (typeof p === 'boolean') return p;
  if (typeof p === 'number') return p !== 0 && !Number.isNaN(p);
  if (typeof p === 'string') return p.length > 0;
  if (Array.isArray(p)) return p.length > 0;
  if (typeof p === 'object') return Object.keys(p).length > 0;
  return true;
}

/** Structural equality (Python ==), without type coercion: '1' != 1. */
export function equal(a: unknown, b: unknown): boolean {
  const x = plain(a);
  const y = plain(b);
  if (x === y) return true;
  if ((x === null || x === undefined) && (y === null || y === undefined)) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => equal(v, y[i]));
  if (isMap(x) && isMap(y)) {
    const kx = Object.keys(x);
    return kx.length === Object.keys(y).length && kx.every((k) => Object.prototype.hasOwnProperty.call(y, k) && equal(x[k], y[k]));
  }
  return false;
}

/** `v` as text, the way Jinja prints it (lists and maps as JSON). */
export function toText(v: unknown): string {
  const p = plain(v);
  if (p === null || p === undefined) return '';
  if (typeof p === 'string') return p;
  if (typeof p === 'object') return JSON.stringify(p);
  return String(p);
}

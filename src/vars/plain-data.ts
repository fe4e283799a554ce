import { Secret } from '../transport/quote.js';

/**
 * Secrets inside template output: a config file must get the real password,
 * so values are revealed where a template turns them into text. These
 * helpers are the only place that happens; `renderValue` keeps a lone
 * `{{ secret_var }}` as the Secret object.
 */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A deep copy with every Secret replaced by its real value (for to_json, to_yaml). */
export function revealDeep(v: unknown): unknown {
  if (v instanceof Secret) return v.reveal();
  if (Array.isArray(v)) return v.map(revealDeep);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revealDeep(x)]));
  return v;
}

/** Text of a value in template output: Secrets revealed, null as ''. */
export function textOf(v: unknown): string {
  if (v instanceof Secret) return v.reveal();
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(revealDeep(v));
  return String(v);
}

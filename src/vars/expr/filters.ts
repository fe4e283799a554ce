import { stringify } from 'yaml';
import { quote } from '../../transport/quote.js';
import { revealDeep } from '../plain-data.js';
import { EvalError, isMap, plain, toText, truthy, typeName, Undefined } from './values.js';

/**
 * `x | <filter>(args)`: the Jinja filters Ansible users reach for in
 * conditions. `default`/`d` is the one filter that accepts an undefined
 * value; the evaluator forces undefined for every other filter first.
 */
type Filter = (v: unknown, args: unknown[], pos: number) => unknown;

function fail(pos: number, name: string, v: unknown, wanted: string): never {
  throw new EvalError(`filter "${name}" needs ${wanted}, got a ${typeName(v)}`, pos);
}

function toNumber(v: unknown, args: unknown[], parse: (s: string) => number): number {
  const p = plain(v);
  const fallback = args.length > 0 && typeof args[0] === 'number' ? args[0] : 0;
  if (typeof p === 'number') return p;
  if (typeof p === 'boolean') return p ? 1 : 0;
  if (typeof p === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(p)) return parse(p.trim());
  return fallback;
}

function textOf(name: string): Filter {
  return (v, _args, pos) => {
    const p = plain(v);
    if (typeof p !== 'string') fail(pos, name, v, 'a string');
    return p;
  };
}

const FILTERS: Record<string, Filter> = {
  length: (v, _a, pos) => {
    const p = plain(v);
    if (typeof p === 'string' || Array.isArray(p)) return p.length;
    if (isMap(p)) return Object.keys(p).length;
    return fail(pos, 'length', v, 'a string, list or map');
  },
  int: (v, args) => Math.trunc(toNumber(v, args, Number)),
  float: (v, args) => toNumber(v, args, Number),
  bool: (v) => {
    const p = plain(v);
    if (typeof p === 'string') return ['yes', 'on', '1', 'true', 'y'].includes(p.trim().toLowerCase());
    if (typeof p === 'number') return p === 1;
    return p === true;
  },
  string: (v) => toText(v),
  lower: (v, a, pos) => (textOf('lower')(v, a, pos) as string).toLowerCase(),
  upper: (v, a, pos) => (textOf('upper')(v, a, pos) as string).toUpperCase(),
  trim: (v, a, pos) => (textOf('trim')(v, a, pos) as string).trim(),
  default: (v, args) => (v instanceof Undefined || (args[1] === true && !truthy(v)) ? args[0] ?? '' : v),
  first: (v, _a, pos) => {
    const p = plain(v);
    if (typeof p === 'string' || Array.isArray(p)) return p[0];
    return fail(pos, 'first', v, 'a string or list');
  },
  last: (v, _a, pos) => {
    const p = plain(v);
    if (typeof p === 'string' || Array.isArray(p)) return p[p.length - 1];
    return fail(pos, 'last', v, 'a string or list');
  },
  join: (v, args, pos) => {
    if (!Array.isArray(v)) fail(pos, 'join', v, 'a list');
    return v.map(toText).join(args.length > 0 ? toText(args[0]) : '');
  },
  abs: (v, _a, pos) => (typeof v === 'number' ? Math.abs(v) : fail(pos, 'abs', v, 'a number')),
  // the same as the template helpers of the same name (helpers.ts): secrets revealed, as in any template output
  to_json: (v, args) => JSON.stringify(revealDeep(v), null, typeof args[0] === 'number' ? args[0] : undefined),
  to_yaml: (v) => stringify(revealDeep(v)).replace(/\n$/, ''),
  quote: (v) => quote(toText(v)),
  replace: (v, args, pos) => (textOf('replace')(v, args, pos) as string).split(toText(args[0])).join(toText(args[1])),
  split: (v, args, pos) => (textOf('split')(v, args, pos) as string).split(args.length > 0 ? toText(args[0]) : /\s+/),
};
FILTERS.d = FILTERS.default!;
FILTERS.count = FILTERS.length!;

export const FILTER_NAMES: readonly string[] = Object.keys(FILTERS);
export const UNDEFINED_FILTERS: ReadonlySet<string> = new Set(['default', 'd']);

export function runFilter(name: string, v: unknown, args: unknown[], pos: number): unknown {
  return FILTERS[name]!(v, args, pos);
}

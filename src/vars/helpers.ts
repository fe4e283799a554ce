import type { HelperDelegate, HelperOptions } from 'handlebars';
import { stringify } from 'yaml';
import { quote } from '../transport/quote.js';
import { equal, truthy } from './expr/values.js';
import { revealDeep, textOf } from './plain-data.js';

/**
 * The Handlebars helpers every template can use. Every helper but `default`
 * refuses an undefined argument (Handlebars itself is lenient with helper
 * arguments even in strict mode), so `{{ upper typo }}` is an error, not ''.
 */
export interface HelperLoc {
  start: { line: number; column: number };
}

/** Thrown by a helper given an undefined argument; template.ts turns it into a UserError naming the variable. */
export class HelperArgUndefined extends Error {
  constructor(
    readonly helper: string,
    readonly loc: HelperLoc | undefined,
    /** which positional argument, or the hash key */
    readonly arg: number | string,
  ) {
    super(`an argument of "${helper}" is undefined`);
  }
}

type Fn = (...args: unknown[]) => unknown;

function split(args: unknown[]): { params: unknown[]; options: HelperOptions & { loc?: HelperLoc; name?: string } } {
  return { params: args.slice(0, -1), options: args[args.length - 1] as HelperOptions & { loc?: HelperLoc } };
}

function strict(name: string, fn: (params: unknown[], options: HelperOptions, self: unknown) => unknown): HelperDelegate {
  return function (this: unknown, ...args: unknown[]) {
    const { params, options } = split(args);
    const i = params.indexOf(undefined);
    if (i >= 0) throw new HelperArgUndefined(name, options.loc, i);
    const key = Object.keys(options.hash ?? {}).find((k) => (options.hash as Record<string, unknown>)[k] === undefined);
    if (key !== undefined) throw new HelperArgUndefined(name, options.loc, key);
    return fn(params, options, this);
  };
}

function indent(text: string, width: number, first: boolean): string {
  const pad = ' '.repeat(width);
  return text
    .split('\n')
    .map((line, i) => ((i > 0 || first) && line !== '' ? pad + line : line))
    .join('\n');
}

const HELPERS: Record<string, (params: unknown[], options: HelperOptions) => unknown> = {
  to_json: ([v, spaces]) => JSON.stringify(revealDeep(v), null, typeof spaces === 'number' ? spaces : undefined),
  to_yaml: ([v]) => stringify(revealDeep(v)).replace(/\n$/, ''),
  join: ([list, sep]) => (Array.isArray(list) ? list.map(textOf).join(sep === undefined ? '' : textOf(sep)) : textOf(list)),
  upper: ([v]) => textOf(v).toUpperCase(),
  lower: ([v]) => textOf(v).toLowerCase(),
  eq: ([a, b]) => equal(a, b),
  ne: ([a, b]) => !equal(a, b),
  lt: ([a, b]) => (a as number) < (b as number),
  gt: ([a, b]) => (a as number) > (b as number),
  and: (params) => params.every(truthy),
  or: (params) => params.some(truthy),
  not: ([v]) => !truthy(v),
  indent: ([text, width], options) => indent(textOf(text), typeof width === 'number' ? width : 4, options.hash?.first === true),
  quote: ([v]) => quote(textOf(v)),
};

/** Prints every `{{ ... }}` (see template.ts): text, Secrets revealed, maps and lists as JSON. */
export const TEXT_HELPER = '__rosey_text';

export const HELPER_NAMES: readonly string[] = ['default', ...Object.keys(HELPERS), 'if', 'unless', 'each', 'with', 'lookup', 'raw'];

interface HelperRegistry {
  helpers: Record<string, unknown>;
  registerHelper(name: string, fn: HelperDelegate): void;
}

/** Register Rosey's helpers on a Handlebars environment (once, at module load of template.ts). */
export function registerHelpers(hb: HelperRegistry): void {
  // the one helper that may look at an undefined value
  hb.registerHelper('default', (...args: unknown[]) => {
    const { params } = split(args);
    return params[0] === undefined ? params[1] : params[0];
  });
  hb.registerHelper(TEXT_HELPER, strict(TEXT_HELPER, ([v]) => textOf(v)));
  // {{{{raw}}}}...{{{{/raw}}}}: its text is written as it is, {{ }} included (Prometheus and Alertmanager templates)
  hb.registerHelper('raw', function (this: unknown, options: HelperOptions) {
    return options.fn(this);
  });
  for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, strict(name, fn));
  for (const name of ['if', 'unless', 'each', 'with']) {
    const builtin = hb.helpers[name] as Fn;
    hb.registerHelper(name, strict(name, (params, options, self) => builtin.apply(self, [...params, options])));
  }
}

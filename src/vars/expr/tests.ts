import { isMap, plain, truthy, Undefined } from './values.js';

/**
 * `x is <test>`. Result tests (`changed`, `failed`, ...) read a registered
 * task result: `{changed: boolean, failed: boolean, skipped: boolean}`.
 * A test receives the raw value, Undefined included; only `defined` and
 * `undefined` accept Undefined (the evaluator forces it for the others).
 */
const TESTS = {
  defined: (v: unknown) => !(v instanceof Undefined),
  undefined: (v: unknown) => v instanceof Undefined,
  none: (v: unknown) => v === null || v === undefined,
  changed: (v: unknown) => isMap(v) && v.changed === true,
  failed: (v: unknown) => isMap(v) && v.failed === true,
  succeeded: (v: unknown) => isMap(v) && v.failed !== true,
  success: (v: unknown) => isMap(v) && v.failed !== true,
  skipped: (v: unknown) => isMap(v) && v.skipped === true,
  string: (v: unknown) => typeof plain(v) === 'string',
  number: (v: unknown) => typeof v === 'number',
  integer: (v: unknown) => typeof v === 'number' && Number.isInteger(v),
  boolean: (v: unknown) => typeof v === 'boolean',
  mapping: (v: unknown) => isMap(v),
  sequence: (v: unknown) => Array.isArray(v),
  true: (v: unknown) => v === true,
  false: (v: unknown) => v === false,
  truthy: (v: unknown) => truthy(v),
  falsy: (v: unknown) => !truthy(v),
  even: (v: unknown) => typeof v === 'number' && v % 2 === 0,
  odd: (v: unknown) => typeof v === 'number' && Math.abs(v % 2) === 1,
} satisfies Record<string, (v: unknown) => boolean>;

export type TestName = keyof typeof TESTS;
export const TEST_NAMES: readonly string[] = Object.keys(TESTS);
/** tests that may look at an undefined value without it being an error */
export const UNDEFINED_TESTS: ReadonlySet<string> = new Set(['defined', 'undefined']);

export function runTest(name: string, v: unknown): boolean {
  return TESTS[name as TestName](v);
}

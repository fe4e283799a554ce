import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { allModules } from '../../../src/modules/registry.js';
import { loadTimeSchema } from '../../../src/playbook/args.js';

/**
 * The load-time schemas must be judged by TypeBox's Value.Check alone: when
 * it throws (a schema part TypeBox does not know), every valid playbook falls
 * back to compiling ajv validators, ~100 ms of each start (bench/README.md).
 */
describe('load-time schemas', () => {
  it.each(allModules().map((m) => [m.name, m] as const))('%s: Value.Check judges its relaxed schema without throwing', (_name, mod) => {
    const schema = loadTimeSchema(mod.args);
    expect(() => Value.Check(schema, {})).not.toThrow();
    const props = Object.keys((mod.args as { properties?: object }).properties ?? {});
    // every argument may be a template at load time
    if (props.length) expect(() => Value.Check(schema, { [props[0]!]: '{{ x }}' })).not.toThrow();
  });

  it('a templated value passes, a wrong literal fails', () => {
    const file = loadTimeSchema(allModules().find((m) => m.name === 'file')!.args);
    expect(Value.Check(file, { path: '/x', mode: '{{ mode }}' })).toBe(true);
    expect(Value.Check(file, { path: '/x', state: 'sideways' })).toBe(false);
  });
});

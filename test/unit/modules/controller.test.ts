import { describe, expect, it } from 'vitest';
import { assert } from '../../../src/modules/controller/assert.js';
import { debug } from '../../../src/modules/controller/debug.js';
import { fail } from '../../../src/modules/controller/fail.js';
import { setFact } from '../../../src/modules/controller/set-fact.js';
import type { ControllerContext } from '../../../src/modules/types.js';

/** A context whose expressions are looked up in a table: the runner's evaluator is tested elsewhere. */
const ctx = (values: Record<string, unknown>): ControllerContext => ({
  vars: values,
  evaluate: (expr) => {
    if (!(expr in values)) throw new Error(`unexpected expression ${expr}`);
    return values[expr];
  },
});

describe('controller modules', async () => {
  it('debug prints msg as text or JSON, or a variable by name', async () => {
    expect(await debug.run({ msg: 'hi' }, ctx({}))).toEqual({ msg: 'hi', display: 'hi', data: { msg: 'hi' } });
    expect((await debug.run({ msg: [1, 'a'] }, ctx({}))).msg).toBe('[\n  1,\n  "a"\n]');
    expect(await debug.run({ var: 'facts.cpus' }, ctx({ 'facts.cpus': 2 }))).toEqual({ msg: 'facts.cpus: 2', display: 'facts.cpus: 2', data: { 'facts.cpus': 2 } });
    expect(debug.rawArgs).toContain('var');
  });

  it('assert passes when every expression holds, fails at the first that does not', async () => {
    const c = ctx({ 'a > 1': true, 'b == 2': false });
    expect(await assert.run({ that: ['a > 1'], success_msg: 'fine' }, c)).toEqual({ msg: 'fine' });
    expect(await assert.run({ that: ['a > 1', 'b == 2'] }, c)).toEqual({ failed: true, msg: 'Assertion failed: b == 2', data: { assertion: 'b == 2', evaluated_to: false } });
    expect((await assert.run({ that: 'b == 2', fail_msg: 'b must be 2' }, c)).msg).toBe('b must be 2');
    expect(assert.rawArgs).toEqual(['that']);
  });

  it('set_fact returns every key but cacheable as facts to set', async () => {
    expect(await setFact.run({ a: 1, b: { c: [2] }, cacheable: true }, ctx({}))).toEqual({ setFacts: { a: 1, b: { c: [2] } }, data: { ansible_facts: { a: 1, b: { c: [2] } } } });
  });

  it('fail fails with its message or the default one', async () => {
    expect(await fail.run({ msg: 'no' }, ctx({}))).toEqual({ failed: true, msg: 'no' });
    expect((await fail.run({}, ctx({}))).msg).toBe('Failed as requested from task');
  });
});

import { Type } from '@sinclair/typebox';
import { defineControllerModule, type ControllerResult } from '../types.js';
import { STRICT } from '../args.js';

const Msg = Type.Union([Type.String(), Type.Array(Type.String())]);

export const AssertArgs = Type.Object(
  {
    that: Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
      description: 'An expression, or a list of them, that must all be true (same language as `when`).',
    }),
    fail_msg: Type.Optional({ ...Msg, description: 'Message when an expression is false.' }),
    msg: Type.Optional({ ...Msg, description: 'Same as fail_msg (its older name).' }),
    success_msg: Type.Optional({ ...Msg, description: 'Message when all hold.' }),
    quiet: Type.Optional(Type.Boolean({ description: 'Accepted for Ansible compatibility.' })),
  },
  { ...STRICT, description: 'Fail the host unless every expression holds.' },
);

const text = (m: string | string[]): string => (Array.isArray(m) ? m.join('\n') : m);

export const assert = defineControllerModule({
  name: 'assert',
  description: 'Check that expressions hold on each host; the host fails with fail_msg when one does not.',
  args: AssertArgs,
  rawArgs: ['that'],
  run(args, ctx): ControllerResult {
    const that = Array.isArray(args.that) ? args.that : [args.that];
    for (const expr of that) {
      const value = ctx.evaluate(expr);
      if (!value) {
        const failMsg = args.fail_msg ?? args.msg;
        return {
          failed: true,
          msg: failMsg !== undefined ? text(failMsg) : `Assertion failed: ${expr}`,
          data: { assertion: expr, evaluated_to: value ?? null },
        };
      }
    }
    return { msg: args.success_msg !== undefined ? text(args.success_msg) : 'All assertions passed' };
  },
});

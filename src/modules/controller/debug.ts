import { Type } from '@sinclair/typebox';
import { defineControllerModule, type ControllerResult } from '../types.js';
import { STRICT } from '../args.js';

export const DebugArgs = Type.Object(
  {
    msg: Type.Optional(Type.Unknown({ description: 'What to print: text, or any value (printed as JSON). Default "Hello world!".' })),
    var: Type.Optional(Type.String({ minLength: 1, description: 'A variable name or expression whose value to print, instead of msg.' })),
    verbosity: Type.Optional(Type.Integer({ minimum: 0, description: 'Accepted for Ansible compatibility; ignored.' })),
  },
  { ...STRICT, description: 'Print a message or a variable.' },
);

function show(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
}

export const debug = defineControllerModule({
  name: 'debug',
  freeForm: { arg: 'msg' },
  description: 'Print a message or the value of a variable; never changes anything.',
  args: DebugArgs,
  rawArgs: ['var'],
  run(args, ctx): ControllerResult {
    if (args.var !== undefined) {
      const value = ctx.evaluate(args.var);
      const text = `${args.var}: ${show(value)}`;
      return { msg: text, display: text, data: { [args.var]: value } };
    }
    const msg = args.msg === undefined ? 'Hello world!' : args.msg;
    return { msg: show(msg), display: show(msg), data: { msg } };
  },
});

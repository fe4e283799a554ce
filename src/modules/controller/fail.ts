import { Type } from '@sinclair/typebox';
import { defineControllerModule, type ControllerResult } from '../types.js';
import { STRICT } from '../args.js';

export const FailArgs = Type.Object(
  { msg: Type.Optional(Type.String({ description: 'Why: shown in the output and the recap.', default: 'Failed as requested from task' })) },
  { ...STRICT, description: 'Fail the host with a message.' },
);

export const fail = defineControllerModule({
  name: 'fail',
  freeForm: { arg: 'msg' },
  description: 'Fail the host with a message (usually with `when:`).',
  args: FailArgs,
  run(args): ControllerResult {
    return { failed: true, msg: args.msg ?? 'Failed as requested from task' };
  },
});

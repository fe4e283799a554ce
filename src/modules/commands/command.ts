import { Type, type Static } from '@sinclair/typebox';
import { sh } from '../../transport/quote.js';
import { defineModule, ModuleFailure } from '../types.js';
import { STRICT } from '../args.js';
import { applyRun, planRun, RunProps, runFacts, runSpec, type RunSpec } from './run.js';
import { splitCommand } from './words.js';

export const CommandArgs = Type.Object(
  {
    cmd: Type.Optional(Type.String({ minLength: 1, description: 'The command line, split into words like a shell would but without one: no pipes, redirections, variables or globs (use shell for those).' })),
    argv: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'The command as a list of words, each passed as it is. Exactly one of cmd and argv.' })),
    ...RunProps,
  },
  { ...STRICT, description: 'Run a program on the host, without a shell.' },
);

export const command = defineModule({
  name: 'command',
  freeForm: { arg: 'cmd', options: ['creates', 'removes', 'chdir'] },
  title: (args) => (typeof args.cmd === 'string' ? `command ${args.cmd}` : undefined),
  description: 'Run a program on the host without shell processing. Reports changed when it runs; `creates`/`removes` skip it.',
  args: CommandArgs,
  prepare(args: Static<typeof CommandArgs>): RunSpec {
    if ((args.cmd === undefined) === (args.argv === undefined)) throw new ModuleFailure('command needs exactly one of "cmd" and "argv"');
    const words = args.argv ?? splitCommand(args.cmd!);
    if (words.length === 0) throw new ModuleFailure('command: the command is empty');
    return runSpec(sh`${words}`, args);
  },
  facts: runFacts,
  plan: planRun,
  apply: applyRun,
});

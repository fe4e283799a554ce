import { Type, type Static } from '@sinclair/typebox';
import { raw, sh } from '../../transport/quote.js';
import { defineModule } from '../types.js';
import { STRICT } from '../args.js';
import { applyRun, planRun, RunProps, runFacts, runSpec, type RunSpec } from './run.js';

export const ShellArgs = Type.Object(
  {
    cmd: Type.String({ minLength: 1, description: 'Shell text, run as written: pipes, redirections and variables work.' }),
    executable: Type.Optional(Type.String({ minLength: 1, description: 'The shell to run it with (`/bin/bash`); default the host\'s /bin/sh.' })),
    ...RunProps,
  },
  { ...STRICT, description: 'Run shell text on the host.' },
);

export const shell = defineModule({
  name: 'shell',
  freeForm: { arg: 'cmd', options: ['creates', 'removes', 'chdir'] },
  title: (args) => (typeof args.cmd === 'string' ? `shell ${args.cmd}` : undefined),
  description: 'Run shell text on the host (/bin/sh, or `executable`). Reports changed when it runs; `creates`/`removes` skip it.',
  args: ShellArgs,
  prepare(args: Static<typeof ShellArgs>): RunSpec {
    // the user wrote this as a command: it is trusted shell text, not a
    // value to quote. It stays in the script, never on a command line that
    // `ps` shows (a `sh -c` of its own would put a no_log value there); so
    // `$$` is the session's shell, as for every command (docs/engine.md)
    const body = args.executable ? sh`${args.executable} -c ${args.cmd}` : sh`{ ${raw(args.cmd)}\n}`;
    return runSpec(body, args);
  },
  facts: runFacts,
  plan: planRun,
  apply: applyRun,
});

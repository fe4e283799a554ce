import { Type, type Static } from '@sinclair/typebox';
import { sh } from '../../transport/quote.js';
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
    // a shell of its own, as Ansible's: the session runs scripts in a
    // subshell of its server, where `$$` would be the server's and `kill $$`
    // would end the session
    const body = sh`${args.executable ?? '/bin/sh'} -c ${args.cmd}`;
    return runSpec(body, args);
  },
  facts: runFacts,
  plan: planRun,
  apply: applyRun,
});

import { posix } from 'node:path';
import { Type } from '@sinclair/typebox';
import { combineFacts } from '../../facts/combine.js';
import { pathExists } from '../../facts/file-state.js';
import type { Fact } from '../../facts/types.js';
import { joinCmds, sh, type Cmd } from '../../transport/quote.js';
import type { ApplyContext, ApplyOutput, Change } from '../types.js';

/** Arguments command and shell share. */
export const RunProps = {
  creates: Type.Optional(Type.String({ minLength: 1, description: 'A path: when it exists the command is not run (relative: to chdir). No globs.' })),
  removes: Type.Optional(Type.String({ minLength: 1, description: 'A path: when it does not exist the command is not run (relative: to chdir). No globs.' })),
  chdir: Type.Optional(Type.String({ minLength: 1, description: 'Change into this folder before running.' })),
  stdin: Type.Optional(Type.String({ description: 'Text fed to the command on its standard input.' })),
};

/** A command ready to run, with the conditions that may skip it. */
export interface RunSpec {
  cmd: Cmd;
  creates?: string;
  removes?: string;
  stdin?: string;
}

export interface RunFacts {
  creates?: boolean;
  removes?: boolean;
}

export interface RunData {
  cmd: Cmd;
  stdin?: string;
}

export function runSpec(body: Cmd, args: { creates?: string; removes?: string; chdir?: string; stdin?: string }): RunSpec {
  const at = (p: string | undefined): string | undefined => (p === undefined || !args.chdir ? p : posix.resolve(args.chdir, p));
  const cmd = args.chdir ? joinCmds([sh`cd -- ${args.chdir}`, body], '&&') : body;
  return { cmd, creates: at(args.creates), removes: at(args.removes), stdin: args.stdin };
}

/** creates/removes in one round trip; no facts at all when neither is set. */
export function runFacts(spec: RunSpec): Fact<RunFacts> | undefined {
  if (spec.creates === undefined && spec.removes === undefined) return undefined;
  const facts: Record<string, Fact<boolean>> = {};
  if (spec.creates !== undefined) facts.creates = pathExists(spec.creates);
  if (spec.removes !== undefined) facts.removes = pathExists(spec.removes);
  return combineFacts(facts) as Fact<RunFacts>;
}

/** Ansible's rule: skip when `creates` exists or `removes` is absent; otherwise one `run` change. */
export function planRun(facts: RunFacts | undefined, spec: RunSpec): Change<RunData>[] {
  if (spec.creates !== undefined && facts?.creates === true) return [];
  if (spec.removes !== undefined && facts?.removes === false) return [];
  const guarded = spec.creates !== undefined || spec.removes !== undefined;
  return [{ action: 'run', summary: `run: ${spec.cmd.display}`, ...(guarded ? {} : { unknowable: true }), data: { cmd: spec.cmd, stdin: spec.stdin } }];
}

/** Run it; a non-zero exit is a failed result, not a throw (failed_when/ignore_errors decide what it means). */
export async function applyRun(change: Change<RunData>, ctx: ApplyContext): Promise<ApplyOutput> {
  const r = await ctx.run(change.data.cmd, change.data.stdin === undefined ? undefined : { stdin: change.data.stdin });
  const trim = (s: string): string => s.replace(/\r?\n$/, '');
  return {
    rc: r.rc,
    stdout: trim(r.stdout),
    stderr: trim(r.stderr),
    failed: r.rc !== 0,
    ...(r.rc !== 0 ? { msg: `non-zero return code ${r.rc}` } : {}),
  };
}

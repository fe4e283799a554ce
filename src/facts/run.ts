import type { Cmd } from '../transport/quote.js';
import type { ExecResult } from '../transport/connection.js';
import type { Fact } from './types.js';
import { FactError } from './parse.js';

/**
 * Run a fact's command with `exec` (the runner binds the connection and the
 * task's become) and parse its output. Fact commands exit 0 whatever the
 * host's state; a non-zero exit means the command itself could not run
 * (sudo refused, no shell): a FactError carrying stderr.
 */
export async function readFact<F>(fact: Fact<F>, exec: (cmd: Cmd) => Promise<ExecResult>): Promise<F> {
  const r = await exec(fact.command);
  if (r.rc !== 0) throw new FactError(`gathering facts failed (exit ${r.rc}): ${r.stderr.trim() || r.stdout.trim()}`);
  return fact.parse(r.stdout);
}

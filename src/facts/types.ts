import type { Cmd } from '../transport/quote.js';

/**
 * What a module needs to know about a host before it plans: one shell command
 * and a pure parser of its stdout. Test a fact with golden
 * `{args, command, output, fact}` cases; never with a live host alone.
 */
export interface Fact<F> {
  command: Cmd;
  parse(stdout: string): F;
}

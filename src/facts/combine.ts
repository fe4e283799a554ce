import { joinCmds, raw, type Cmd } from '../transport/quote.js';
import type { Fact } from './types.js';
import { FactError } from './parse.js';

/** Printed between the outputs of combined facts; fact outputs are key=value or base64 lines, never this. */
export const FACT_SEPARATOR = '--rosey-fact-boundary--';

type FactsOf<T extends Record<string, Fact<unknown>>> = { [K in keyof T]: T[K] extends Fact<infer F> ? F : never };

/**
 * Several facts as one command (one round trip) and one parse. Each runs in
 * its own subshell, so one fact's `exit` or variables never reach the next.
 */
export function combineFacts<T extends Record<string, Fact<unknown>>>(facts: T): Fact<FactsOf<T>> {
  const keys = Object.keys(facts);
  const parts: Cmd[] = keys.map((k) => joinCmds([raw('('), facts[k]!.command, raw(`)\necho; echo ${FACT_SEPARATOR}`)], '\n'));
  return {
    command: joinCmds(parts, '\n'),
    parse(stdout) {
      const chunks = stdout.split(`\n${FACT_SEPARATOR}\n`);
      if (chunks.length < keys.length) {
        throw new FactError(`combined facts: expected ${keys.length} outputs, got ${chunks.length - 1}`);
      }
      const out: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        out[k] = facts[k]!.parse(chunks[i]!);
      });
      return out as FactsOf<T>;
    },
  };
}


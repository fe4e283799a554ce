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
  const paths = keys.map((k) => facts[k]!.paths);
  return {
    command: joinCmds(parts, '\n'),
    ...(paths.every((p) => p !== undefined) ? { paths: paths.flat() } : {}),
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


/** One part of a fact batch: its parsed value, or undefined when its command failed or its output did not parse. */
export type BatchPart = { value: unknown } | undefined;

/**
 * Many facts as one command, each part with its own exit status (a loop's
 * items: one round trip instead of one per item). Unlike combineFacts, a
 * part that fails or does not parse spoils only itself: it comes back
 * undefined, and its reader reads it alone to report the failure as before.
 */
export function factBatch(facts: readonly Fact<unknown>[]): Fact<BatchPart[]> {
  // each distinct shared part once, into a variable each fact's output ends with
  const shared = new Map<string, { name: string; cmd: Cmd }>();
  for (const f of facts) if (f.batchParts && !shared.has(f.batchParts.shared.text)) shared.set(f.batchParts.shared.text, { name: `rosey_shared_${shared.size}`, cmd: f.batchParts.shared });
  const before = [...shared.values()].map((s) => joinCmds([raw(`${s.name}=$( (`), s.cmd, raw(') )')], '\n'));
  const parts: Cmd[] = facts.map((f) => {
    const own = f.batchParts ? f.batchParts.own : f.command;
    const tail = f.batchParts ? `printf '%s\\n' "$${shared.get(f.batchParts.shared.text)!.name}"; ` : '';
    return joinCmds([raw('('), own, raw(`)\nrosey_rc=$?; ${tail}echo; echo "${FACT_SEPARATOR} $rosey_rc"`)], '\n');
  });
  return {
    command: joinCmds([...before, ...parts], '\n'),
    parse(stdout) {
      // split with a capture group: output, rc, output, rc, ..., the rest
      const pieces = stdout.split(new RegExp(`\\n${FACT_SEPARATOR} (\\d+)\\n`));
      if (pieces.length !== facts.length * 2 + 1) throw new FactError(`fact batch: expected ${facts.length} outputs, got ${(pieces.length - 1) / 2}`);
      return facts.map((f, i) => {
        if (pieces[i * 2 + 1] !== '0') return undefined;
        try {
          return { value: f.parse(pieces[i * 2]!) };
        } catch {
          return undefined;
        }
      });
    },
  };
}

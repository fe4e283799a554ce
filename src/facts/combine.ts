import { joinCmds, raw, type Cmd } from '../transport/quote.js';
import type { Fact } from './types.js';
import { FactError } from './parse.js';
import { fileStatesCmd, parseFileStates, type FileRead } from './file-states.js';
import { splitShown, unitsShowCmd } from './unit.js';
import type { FileState } from './file-state.js';

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
 * What a batch brought back for one fact, before its parse: its own output
 * (when its command exited 0), or the states of its files (`Fact.files`,
 * each undefined when it did not parse). Undefined: its command failed.
 * Two facts that ask the same question may read the answer differently
 * (`stat` and `file` both read a path's state), so a reader that keeps
 * answers keeps these and lets each fact parse them its own way.
 */
export type PartOutput = { stdout: string } | { states: (FileState | undefined)[] } | undefined;

/** A fact's value from what a batch brought back for it. */
export function valueOf(fact: Fact<unknown>, out: PartOutput): BatchPart {
  if (!out) return undefined;
  if ('stdout' in out) return parsed(() => fact.parse(out.stdout));
  const states = out.states;
  return fact.files && states.every((s) => s !== undefined) ? parsed(() => fact.files!.build(states as FileState[])) : undefined;
}

/**
 * Many facts as one command, each part with its own exit status (a loop's
 * items: one round trip instead of one per item). Unlike combineFacts, a
 * part that fails or does not parse spoils only itself: it comes back
 * undefined, and its reader reads it alone to report the failure as before.
 * Facts that are file states (`Fact.files`) share one part: all their paths
 * in one `fileStatesCmd`.
 */
export function factBatch(facts: readonly Fact<unknown>[]): Fact<BatchPart[]> & { outputs(stdout: string): PartOutput[] } {
  const withFiles = facts.filter((f) => f.files);
  const units = unitGroup(facts);
  const own = facts.filter((f) => !f.files && !units.includes(f));
  // each distinct shared part once, into a variable each fact's output ends with
  const shared = new Map<string, { name: string; cmd: Cmd }>();
  for (const f of [...own, ...units]) if (f.batchParts && !shared.has(f.batchParts.shared.text)) shared.set(f.batchParts.shared.text, { name: `rosey_shared_${shared.size}`, cmd: f.batchParts.shared });
  const sharedVar = (f: Fact<unknown>): string => shared.get(f.batchParts!.shared.text)!.name;
  const before = [...shared.values()].map((s) => joinCmds([raw(`${s.name}=$( (`), s.cmd, raw(') )')], '\n'));
  // each part: its command, and how its output (undefined: it failed) goes to its facts
  const parts: { cmd: Cmd; give(out: string | undefined, got: Map<Fact<unknown>, PartOutput>): void }[] = own.map((f) => ({
    cmd: part(f.batchParts ? f.batchParts.own : f.command, f.batchParts ? `printf '%s\\n' "$${sharedVar(f)}"; ` : ''),
    give: (out, got) => got.set(f, out === undefined ? undefined : { stdout: out }),
  }));
  if (units.length) {
    // the shared part's output once after all the units' blocks, behind a line no systemctl property prints
    const show = joinCmds([unitsShowCmd(units.map((f) => f.batchParts!.unit!)), raw(`r=$?; printf '%s\\n%s\\n' ${SHARED_MARK} "$${sharedVar(units[0]!)}"; exit $r`)], '\n');
    parts.push({
      cmd: part(show, ''),
      give: (out, got) => {
        const [shown, tail] = out === undefined ? [] : out.split(`\n${SHARED_MARK}\n`);
        const blocks = shown !== undefined && tail !== undefined ? splitShown(shown, units.length) : undefined;
        units.forEach((f, i) => got.set(f, blocks && { stdout: `${blocks[i]!}${tail!}` }));
      },
    });
  }
  const reads: FileRead[] = withFiles.flatMap((f) => f.files!.reads);
  if (reads.length) {
    parts.push({
      cmd: part(fileStatesCmd(reads), ''),
      give: (out, got) => {
        const states = out === undefined ? undefined : parsed(() => parseFileStates(out, reads.length));
        let at = 0;
        for (const f of withFiles) {
          const mine = states?.value.slice(at, at + f.files!.reads.length);
          at += f.files!.reads.length;
          got.set(f, mine && { states: mine });
        }
      },
    });
  }
  const outputs = (stdout: string): PartOutput[] => {
    // split with a capture group: output, rc, output, rc, ..., the rest
    const pieces = stdout.split(new RegExp(`\\n${FACT_SEPARATOR} (\\d+)\\n`));
    if (pieces.length !== parts.length * 2 + 1) throw new FactError(`fact batch: expected ${parts.length} outputs, got ${(pieces.length - 1) / 2}`);
    const got = new Map<Fact<unknown>, PartOutput>();
    parts.forEach((p, i) => p.give(pieces[i * 2 + 1] === '0' ? pieces[i * 2]! : undefined, got));
    return facts.map((f) => got.get(f));
  };
  return {
    command: joinCmds([...before, ...parts.map((p) => p.cmd)], '\n'),
    outputs,
    parse: (stdout) => outputs(stdout).map((out, i) => valueOf(facts[i]!, out)),
  };
}

const SHARED_MARK = '--rosey-shared--';

/**
 * Facts that each ask systemctl show about one unit (a loop of units), when
 * there are two or more and they share one shared part: read in one
 * systemctl. Otherwise none, and each runs its own part.
 */
function unitGroup(facts: readonly Fact<unknown>[]): Fact<unknown>[] {
  const units = facts.filter((f) => !f.files && f.batchParts?.unit !== undefined);
  return units.length > 1 && new Set(units.map((f) => f.batchParts!.shared.text)).size === 1 ? units : [];
}

/** One part of a batch: in a subshell of its own, its output then its exit status. */
function part(cmd: Cmd, tail: string): Cmd {
  return joinCmds([raw('('), cmd, raw(`)\nrosey_rc=$?; ${tail}echo; echo "${FACT_SEPARATOR} $rosey_rc"`)], '\n');
}

function parsed<T>(parse: () => T): { value: T } | undefined {
  try {
    return { value: parse() };
  } catch {
    return undefined;
  }
}

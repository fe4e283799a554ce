import type { Cmd } from '../transport/quote.js';
import type { FileState } from './file-state.js';
import type { FileRead } from './file-states.js';

/**
 * What a module needs to know about a host before it plans: one shell command
 * and a pure parser of its stdout. Test a fact with golden
 * `{args, command, output, fact}` cases; never with a live host alone.
 */
export interface Fact<F> {
  command: Cmd;
  parse(stdout: string): F;
  /**
   * The only paths whose state the command reads (absolute; a directory
   * stands for everything below it), when it reads no others: no symlink
   * followed at its end, no tree walked outside it. What it read stays true
   * across a change to a path that none of these overlaps, so a loop's
   * later items keep their batched facts (runner/loop-facts.ts). Absent:
   * any change may alter it.
   */
  paths?: readonly string[];
  /**
   * The same promise made from what was read, for a fact whose reach
   * depends on the host: following a link reads only the path when the
   * path was no link. Undefined from it: any change may alter it. Takes
   * the place of `paths` when present.
   */
  pathsOf?(value: F): readonly string[] | undefined;
  /**
   * `command` as two parts, for a batch of facts (a loop's items): its own,
   * and one that reads the same whichever fact runs it (whether any unit
   * needs a daemon-reload). A batch runs each distinct shared part once,
   * before the others, and gives each fact its own output followed by the
   * shared part's, as `command` prints them.
   */
  batchParts?: {
    own: Cmd;
    shared: Cmd;
    /** `own` asks systemctl show about this one unit: a batch asks about all such units in one systemctl (facts/unit.ts) */
    unit?: string;
  };
  /**
   * The fact is file states and a pure view of them (`fileState`, a module's
   * reading of one): a batch reads the files of all such facts in one
   * `fileStatesCmd` (one `stat`, one `sha256sum`) and gives each its states
   * to `build`. `command` and `parse` stay the way to read it alone.
   */
  files?: { reads: readonly FileRead[]; build(states: readonly FileState[]): F };
}

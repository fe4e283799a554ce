import type { Change } from '../modules/types.js';
import type { HostCounts, RunRecord } from '../journal/record.js';
import type { SourceLoc } from '../errors/diagnostic.js';

/** What every printer and record shows instead of a no_log task's values. */
export const NO_LOG_MESSAGE = 'the output has been hidden due to no_log: true';

export type ResultStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

/** What one task did on one host (one loop item, or the whole task). */
export interface TaskResult {
  status: ResultStatus;
  /** planned (and, unless --check, applied) changes */
  changes: Change[];
  /**
   * What the host module read before it planned (its parsed facts): a saved
   * plan keeps them, and `rosey-apply apply` refuses a host whose facts are
   * no longer these. Not for printing: it may hold a file's content.
   */
  facts?: unknown;
  msg?: string;
  /** shown to people even when ok (a module's message for them: debug) */
  display?: string;
  /** failed, but ignore_errors: counted as ignored, the host carries on */
  ignored?: boolean;
  /** the value `register:` stores */
  output: Record<string, unknown>;
  /** per item, for loops */
  items?: { label: string; result: TaskResult }[];
}

export interface TaskInfo {
  /** "role : name" as people see it */
  title: string;
  module: string;
  loc: SourceLoc;
  noLog: boolean;
  handler: boolean;
}

/** Everything the runner tells the reporter, in order. Mapped exhaustively by each reporter. */
export type RunEvent =
  | { kind: 'run-start'; runId: string; playbook: string; check: boolean }
  | { kind: 'play-start'; name: string; hosts: string[] }
  | { kind: 'task-start'; task: TaskInfo; hosts: string[] }
  | { kind: 'host-result'; task: TaskInfo; host: string; result: TaskResult; diff: boolean; check: boolean }
  | { kind: 'warning'; host?: string; message: string }
  | { kind: 'no-hosts'; play: string }
  | { kind: 'recap'; hosts: { host: string; counts: HostCounts }[]; record: RunRecord };

export interface Reporter {
  event(e: RunEvent): void;
  close(): Promise<void>;
}

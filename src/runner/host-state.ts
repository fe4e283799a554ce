import type { HostCounts, HostRecord, TaskRecord, BackupRecord, CreatedRecord } from '../journal/record.js';
import type { ConnectionSpec } from '../transport/connection.js';

/** What the runner knows about one host during a run. */
export class HostState {
  /** registered results and set_fact values: they outlive the play */
  readonly runtimeVars: Record<string, unknown> = {};
  facts: Record<string, unknown> | undefined;
  /** counts writes to runtimeVars, facts and failedTask: arguments prepared ahead from older values are stale (play-run.ts varsSignature) */
  varsWrites = 0;
  /** handler names notified in the current play */
  readonly notified = new Set<string>();
  /** handler names whose pending mark is already on the host */
  readonly persistedNotify = new Set<string>();
  /**
   * marks left on the host by earlier runs, not yet taken up by a play
   * (undefined: not read yet; gather_facts reads them in passing)
   */
  pendingOnHost: Set<string> | undefined;
  /** the last task that failed here, for `rescue` (ansible_failed_task, ansible_failed_result) */
  failedTask: { task: Record<string, unknown>; result: Record<string, unknown> } | undefined;
  failed = false;
  unreachable = false;
  readonly counts: HostCounts = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
  readonly tasks: TaskRecord[] = [];
  readonly backups: BackupRecord[] = [];
  readonly created: CreatedRecord[] = [];

  constructor(
    readonly name: string,
    readonly inventoryVars: Record<string, unknown>,
    readonly spec: ConnectionSpec,
  ) {}

  get active(): boolean {
    return !this.failed && !this.unreachable;
  }

  record(): HostRecord {
    const status = this.unreachable ? 'unreachable' : this.failed ? 'failed' : this.counts.changed > 0 ? 'changed' : 'ok';
    return { host: this.name, status, counts: { ...this.counts }, tasks: [...this.tasks], backups: [...this.backups], created: [...this.created] };
  }
}

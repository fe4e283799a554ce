import type { RunOptions } from './options.js';
import type { Play } from '../playbook/types.js';
import type { Connection } from '../transport/connection.js';
import type { Reporter } from './events.js';
import type { Connections } from './connections.js';
import type { HostState } from './host-state.js';
import type { Inherited, PlayOutline } from './play-outline.js';
import type { HostReadAhead } from './read-ahead.js';

export interface PlayEnv {
  runId: string;
  options: RunOptions;
  reporter: Reporter;
  connection(host: HostState): Promise<Connection>;
  /** the run's connections: reconnect after a drop, the controller for delegate_to */
  connections: Connections;
}

/** One play running on one batch of hosts. */
export interface PlayRun {
  play: Play;
  env: PlayEnv;
  /** the hosts of this batch (`ansible_play_batch`; max_fail_percentage counts over them) */
  batch: HostState[];
  /** max_fail_percentage crossed, any_errors_fatal, meta: end_play: nothing more runs in this play or run */
  stopped: boolean;
  /** the play's tasks in order, for reading facts ahead; absent: no read-ahead */
  outline?: PlayOutline;
  /** each host's facts read ahead for this play */
  readAhead?: Map<HostState, HostReadAhead>;
}

/**
 * Changes whenever anything a task's arguments may be rendered from changes
 * during the play: a host's registered results, set_fact values, facts or
 * failed task, or which hosts are still in the batch. Arguments prepared
 * ahead are used only while it stays the same.
 */
export function varsSignature(run: PlayRun): string {
  return run.batch.map((h) => `${h.varsWrites}${h.active ? '' : '!'}`).join(',');
}

export type { Inherited } from './play-outline.js';

export const TOP: Omit<Inherited, 'tags'> = { vars: [], ignoreErrors: false, when: [], rescuable: false };

/**
 * Stop the play when too many hosts of the batch failed: any at all with
 * any_errors_fatal, or more than max_fail_percentage. Ansible checks after
 * every task, so the rest of the batch stops at once.
 */
export function checkFailLimit(run: PlayRun): void {
  const { play, batch } = run;
  if (run.stopped || (play.maxFailPercentage === undefined && !play.anyErrorsFatal)) return;
  const failed = batch.filter((h) => !h.active).length;
  if (failed === 0) return;
  const over = play.anyErrorsFatal || (failed / batch.length) * 100 > play.maxFailPercentage!;
  if (!over) return;
  run.stopped = true;
  const why = play.anyErrorsFatal ? 'any_errors_fatal' : `over max_fail_percentage ${play.maxFailPercentage}`;
  run.env.reporter.event({ kind: 'warning', message: `stopping the play: ${failed} of ${batch.length} hosts in the batch failed, ${why}` });
}

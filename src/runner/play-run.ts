import type { RunOptions } from './options.js';
import type { Play } from '../playbook/types.js';
import type { Connection } from '../transport/connection.js';
import type { Reporter } from './events.js';
import type { Connections } from './connections.js';
import type { HostState } from './host-state.js';
import type { Vars } from './scope.js';

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
}

/** What a block (or import) passes down to the tasks inside it. */
export interface Inherited {
  tags: string[];
  vars: Vars[];
  become?: boolean;
  becomeUser?: string;
  ignoreErrors: boolean;
  /** check_mode of an enclosing block */
  checkMode?: boolean;
  /** the `when:` of enclosing blocks and imports: checked again for every task, as Ansible does */
  when: string[];
  /** inside a block with a rescue: a failure here is not (yet) the host's failure for max_fail_percentage */
  rescuable: boolean;
}

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

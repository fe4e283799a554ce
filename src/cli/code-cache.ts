import type { HostCounts } from '../journal/record.js';

/**
 * Tells bin/rosey-apply.cjs that this run's tasks ran on a host, so the
 * functions a real run needs (runner, modules, SSH session) are compiled:
 * the code caches it writes at exit are then final, where caches written by
 * a check, a listing or the build are replaced by the first such run.
 */
export function noteTasksRan(hosts: readonly { counts: HostCounts }[]): void {
  const ran = hosts.some(({ counts: c }) => c.ok + c.changed + c.failed > 0);
  if (ran) (globalThis as Record<symbol, unknown>)[Symbol.for('rosey.ranTasks')] = true;
}

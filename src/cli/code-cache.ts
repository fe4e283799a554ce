import type { HostCounts } from '../journal/record.js';

/**
 * Tells bin/rosey-apply.cjs how many task results this run had on its hosts.
 * The code caches it writes at exit hold the functions the run compiled, so
 * the launcher replaces a cache written by a run with less than half as many
 * (a check, a listing or the build count none): caches follow the largest
 * runs, which compile the runner, the modules and the SSH session.
 */
export function noteTaskResults(hosts: readonly { counts: HostCounts }[]): void {
  // ok counts the changed results too, as in Ansible's recap
  const n = hosts.reduce((sum, { counts: c }) => sum + c.ok + c.failed, 0);
  (globalThis as Record<symbol, unknown>)[Symbol.for('rosey.taskResults')] = n;
}

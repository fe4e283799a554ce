import { formatLoc } from '../errors/diagnostic.js';
import type { Task } from '../playbook/types.js';
import type { Become } from '../transport/connection.js';
import type { TaskInfo, TaskResult } from './events.js';
import type { HostState } from './host-state.js';

/** sudo only when it changes who runs the command: a root login needs no sudo on the host. */
export function becomeFor(become: boolean | undefined, becomeUser: string | undefined, loginUser: string): Become | undefined {
  if (!become) return undefined;
  const user = becomeUser ?? 'root';
  return user === loginUser ? undefined : { user };
}

/** Rosey's own bookkeeping on the host (pending marks, run records) lives under /var/lib/rosey: root. */
export function rootFor(login: { user: string }): Become | undefined {
  return becomeFor(true, undefined, login.user);
}

/**
 * Count a result the way Ansible's recap does (ok includes changed),
 * register it, keep it for the journal. `task` is absent for Rosey's own
 * steps (gathering facts).
 */
export function recordResult(h: HostState, info: TaskInfo, r: TaskResult, task?: Pick<Task, 'register' | 'noLog'>): void {
  switch (r.status) {
    case 'ok':
      h.counts.ok++;
      break;
    case 'changed':
      h.counts.ok++;
      h.counts.changed++;
      break;
    case 'skipped':
      h.counts.skipped++;
      break;
    case 'unreachable':
      h.counts.unreachable++;
      h.unreachable = true;
      break;
    case 'failed':
      if (r.ignored) {
        // Ansible counts an ignored failure as ok (and changed when it changed) as well
        h.counts.ignored++;
        h.counts.ok++;
        if (r.output.changed === true) h.counts.changed++;
      } else {
        h.counts.failed++;
        h.failed = true;
      }
      break;
  }
  if (task?.register) h.runtimeVars[task.register] = r.output;
  const facts = r.output.ansible_facts;
  if (facts && typeof facts === 'object' && r.status !== 'failed') Object.assign(h.runtimeVars, facts);
  if (task?.register || facts) h.varsWrites++;
  if (r.status === 'changed' || r.status === 'failed' || r.status === 'unreachable') {
    h.tasks.push({
      name: info.title,
      module: info.module,
      status: r.ignored ? 'ignored' : r.status,
      source: formatLoc(info.loc),
      changes: info.noLog ? ['(hidden: no_log)'] : r.changes.map((c) => c.summary),
      ...(r.msg && !info.noLog ? { msg: r.msg } : {}),
    });
  }
}

import { getModule } from '../modules/registry.js';
import type { Play, TaskNode } from '../playbook/types.js';

/**
 * Whether a play may send anything to its hosts: facts to gather, a task on
 * a module that runs on the host and is not delegated to the controller, or
 * an include (its tasks are read only when a host reaches it). A play of
 * `debug`, `set_fact` and `delegate_to: localhost` alone never connects, so
 * its hosts are not connected to ahead either.
 */
export function reachesHosts(play: Play): boolean {
  if (play.gatherFacts) return true;
  return play.sections.some((s) => s.tasks.some(reaches)) || play.handlers.some(reaches);
}

function reaches(node: TaskNode): boolean {
  if (node.kind === 'block') return node.include !== undefined || [...node.block, ...node.rescue, ...node.always].some(reaches);
  return !node.delegateToLocal && getModule(node.module)?.kind !== 'controller';
}

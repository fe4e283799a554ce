import type { Block, Play, Task, TaskNode } from '../playbook/types.js';
import type { Vars } from './scope.js';

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

/** What a block (or import) passes down to the tasks inside it; `withWhen`: its `when` too (an include checks its own once). */
export function inherit(inh: Inherited, node: Block, withWhen: boolean): Inherited {
  return {
    tags: [...inh.tags, ...node.tags],
    vars: [...inh.vars, node.vars],
    become: node.become ?? inh.become,
    becomeUser: node.becomeUser ?? inh.becomeUser,
    ignoreErrors: inh.ignoreErrors || node.ignoreErrors,
    checkMode: node.checkMode ?? inh.checkMode,
    when: withWhen ? [...inh.when, ...node.when] : inh.when,
    rescuable: inh.rescuable || node.rescue.length > 0,
  };
}

/** A task of the play as written, with what its blocks pass down to it. */
export interface OutlineEntry {
  task: Task;
  inh: Inherited;
}

/**
 * The play's tasks in the order they run when nothing fails: each section's
 * tasks, a block's tasks then its always. Rescues and handlers run only
 * after a failure or a change, and what an include loads is known only
 * when a host gets there: none of them is here. The read-ahead
 * (read-ahead.ts) looks down this list for the facts tasks will read.
 */
export class PlayOutline {
  readonly entries: OutlineEntry[] = [];
  readonly #index = new Map<Task, number>();

  constructor(play: Play, top: Inherited) {
    for (const section of play.sections) this.#walk(section.tasks, top);
  }

  /** Where the task is in the list; undefined for a task it does not hold (a handler, an included task). */
  indexOf(task: Task): number | undefined {
    return this.#index.get(task);
  }

  #walk(nodes: readonly TaskNode[], inh: Inherited): void {
    for (const node of nodes) {
      if (node.kind === 'task') {
        if (!this.#index.has(node)) this.#index.set(node, this.entries.length);
        this.entries.push({ task: node, inh });
      } else if (!node.include) {
        const inner = inherit(inh, node, true);
        this.#walk(node.block, inner);
        this.#walk(node.always, { ...inner, rescuable: inh.rescuable });
      }
    }
  }
}

import { getModule } from '../modules/registry.js';
import type { Task } from '../playbook/types.js';
import type { Become } from '../transport/connection.js';
import { evaluateCondition } from '../vars/expression.js';
import { becomeFor } from './outcome.js';
import type { OutlineEntry, PlayOutline } from './play-outline.js';
import type { PlayRun } from './play-run.js';
import type { Prediction } from './read-ahead.js';
import type { Vars } from './scope.js';
import { selectedByTags } from './tags.js';
import { itemScope, loopItems, prepareArgs } from './task-executor.js';

/** A read that looks further ahead would send a command too big to be worth it. */
const MAX_FACTS = 400;

/**
 * What the play's later tasks will read on this host, as far as it can be
 * known now: each task (and loop item) whose conditions and arguments render
 * with the variables as they are, run as `become`. A task whose arguments
 * wait for a variable a task before it registers does not render now and is
 * left out; one that renders to something else by the time it runs asks
 * another question and finds no answer read ahead. Nothing here throws:
 * the task itself reports its errors when it gets there.
 */
export async function predictFrom(outline: PlayOutline, from: number, become: Become | undefined, scopeOf: (e: OutlineEntry) => Vars, run: PlayRun, login: string, known: (task: Task) => boolean): Promise<Prediction[]> {
  const out: Prediction[] = [];
  const { options } = run.env;
  for (const [k, entry] of outline.entries.slice(from).entries()) {
    if (out.length >= MAX_FACTS) break;
    const { task, inh } = entry;
    // predicted already from the same variables: nothing new to render
    if (known(task) || task.until || task.delegateToLocal || task.runOnce || task.module === 'meta') continue;
    if (!selectedByTags([...inh.tags, ...task.tags], options.tags, options.skipTags)) continue;
    const mod = getModule(task.module);
    // a module that acts or waits (wait_for, uri) reads nothing ahead: its "fact" is the waiting
    if (!mod || mod.kind !== 'host' || mod.check === 'skip') continue;
    const taskBecome = becomeFor(task.become ?? inh.become ?? run.play.become, task.becomeUser ?? inh.becomeUser ?? run.play.becomeUser, login);
    if (taskBecome?.user !== become?.user) continue;
    try {
      const scope = scopeOf(entry);
      const when = [...inh.when, ...task.when];
      const items = task.loop === undefined ? undefined : loopItems(task, scope);
      if (items !== undefined && !Array.isArray(items)) continue;
      const scopes = items === undefined ? [scope] : items.map((item) => itemScope(task, scope, item));
      for (const [i, s] of scopes.entries()) {
        if (when.length && !evaluateCondition(when, s, task.loc)) continue;
        try {
          const prepared = await prepareArgs(mod, task, s, run.play.dir);
          out.push({ task, at: from + k, item: items === undefined ? undefined : i, mod, prepared, fact: mod.facts(prepared) });
        } catch {
          // this item's arguments do not render yet: it reads when it runs
        }
      }
    } catch {
      // the task's conditions or loop need a variable that is not there yet
    }
  }
  return out;
}

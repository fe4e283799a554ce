import type { Block, Play, TaskNode } from '../playbook/types.js';
import { UserError } from '../errors/diagnostic.js';
import { evaluateCondition } from '../vars/expression.js';
import { renderValue } from '../vars/template.js';
import { gatherFacts } from './gather.js';
import { flushHandlers } from './handlers.js';
import { inherit, PlayOutline } from './play-outline.js';
import type { HostState } from './host-state.js';
import { recordResult } from './outcome.js';
import { checkFailLimit, TOP, type Inherited, type PlayEnv, type PlayRun } from './play-run.js';
import { selectedByTags } from './tags.js';
import { result } from './task-executor.js';
import { runTask, scopeFor } from './task-run.js';
import type { TaskInfo } from './events.js';

export type { PlayEnv, PlayRun } from './play-run.js';
export { taskInfo } from './task-run.js';

/** Run one play on one batch of hosts: facts, sections, handlers (linear strategy). Returns false when the play was stopped. */
export async function runPlay(play: Play, hosts: HostState[], env: PlayEnv): Promise<boolean> {
  const top: Inherited = { ...TOP, tags: play.tags };
  const run: PlayRun = { play, env, batch: hosts, stopped: false, outline: new PlayOutline(play, top), readAhead: new Map() };
  if (play.gatherFacts) await gatherFacts(hosts, env);
  checkFailLimit(run);
  for (const section of play.sections) {
    await runNodes(section.tasks, hosts, top, run);
    // notifications left pending by an earlier run join where their handlers
    // normally run, after the main tasks, not before them
    await flushHandlers(run, hosts, section.name !== 'pre_tasks');
  }
  return !run.stopped;
}

async function runNodes(nodes: TaskNode[], hosts: HostState[], inh: Inherited, run: PlayRun): Promise<void> {
  for (const node of nodes) {
    if (run.stopped || !hosts.some((h) => h.active)) return;
    if (node.kind === 'task') await runTask(node, hosts, inh, run, { handler: false });
    else if (node.include) await runInclude(node, hosts, inh, run);
    else await runBlock(node, hosts, inh, run);
  }
}

/**
 * block/rescue/always: hosts that fail in the block run rescue (and count as
 * rescued); every host that entered runs always. The block's `when` is
 * checked for each task inside, so a false one counts each task skipped.
 */
async function runBlock(block: Block, hosts: HostState[], inh: Inherited, run: PlayRun): Promise<void> {
  const inner = inherit(inh, block, true);
  const entered = hosts.filter((h) => h.active);
  await runNodes(block.block, entered, inner, run);
  const failedHere = entered.filter((h) => h.failed && !h.unreachable);
  if (block.rescue.length && failedHere.length && !run.stopped) {
    for (const h of failedHere) {
      h.failed = false;
      h.counts.failed--;
      h.counts.rescued++;
    }
    // a failure in rescue is the host's failure: only an enclosing rescue may catch it
    await runNodes(block.rescue, failedHere, { ...inner, rescuable: inh.rescuable }, run);
  }
  if (block.always.length && !run.stopped) {
    const stillFailed = entered.filter((h) => h.failed && !h.unreachable);
    stillFailed.forEach((h) => (h.failed = false));
    await runNodes(block.always, entered, { ...inner, rescuable: inh.rescuable }, run);
    stillFailed.forEach((h) => (h.failed = true));
  }
  if (!inh.rescuable) checkFailLimit(run);
}

/**
 * include_tasks / include_role: a task of its own (ok on each host that
 * takes it), its `when` checked once; the file, which may be templated, is
 * read when the host gets there, hosts that name the same file running it
 * together.
 */
async function runInclude(node: Block, hosts: HostState[], inh: Inherited, run: PlayRun): Promise<void> {
  const include = node.include!;
  const info: TaskInfo = { title: node.name ?? (include.file ? `include_tasks ${include.file}` : 'include_role'), module: 'include_tasks', loc: node.loc, noLog: false, handler: false };
  const inner = inherit(inh, node, false);
  const groups = new Map<string, HostState[]>();
  const live = hosts.filter((h) => h.active);
  const { tags, skipTags } = run.env.options;
  if (live.length === 0 || !selectedByTags([...inh.tags, ...node.tags], tags, skipTags)) return;
  run.env.reporter.event({ kind: 'task-start', task: info, hosts: live.map((h) => h.name) });
  for (const h of live) {
    let r;
    try {
      const scope = scopeFor(h, run, inner, {}, node.role);
      const when = [...inh.when, ...node.when];
      if (when.length && !evaluateCondition(when, scope, node.loc)) r = result('skipped', 'conditional result was false');
      else {
        const file = String(renderValue(include.file, scope, node.loc));
        groups.set(file, [...(groups.get(file) ?? []), h]);
        r = result('ok', undefined, { output: { changed: false, failed: false, include: file } });
      }
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      r = result('failed', err.message);
    }
    // Ansible's recap counts a taken include_tasks as ok, a taken include_role not at all
    if (include.file || r.status !== 'ok') recordResult(h, info, r);
    run.env.reporter.event({ kind: 'host-result', task: info, host: h.name, result: r, diff: false, check: run.env.options.check });
  }
  checkFailLimit(run);
  for (const [file, group] of groups) {
    let nodes: TaskNode[];
    try {
      nodes = include.load(file);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      for (const h of group) recordResult(h, info, result('failed', err.message));
      checkFailLimit(run);
      continue;
    }
    await runNodes(nodes, group, inner, run);
  }
}

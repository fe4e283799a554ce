import type { RunOptions } from './options.js';
import { getModule } from '../modules/registry.js';
import type { Block, Play, Task, TaskNode } from '../playbook/types.js';
import type { PlayEnv } from './play-env.js';
import { joinCmds } from '../transport/quote.js';
import { evaluateCondition } from '../vars/expression.js';
import type { TaskInfo } from './events.js';
import { gatherFacts } from './gather.js';
import type { HostState } from './host-state.js';
import { mapLimit } from './limit.js';
import { clearPendingCmd, markPendingCmd, pendingFact } from './pending-handlers.js';
import { buildScope, type ScopeLayer, type Vars } from './scope.js';
import { selectedByTags } from './tags.js';
import { executeTask, failure, type TaskEnv } from './task-executor.js';
import { becomeFor, recordResult, rootFor } from './outcome.js';

export type { PlayEnv };

/** What a block passes down to the tasks inside it. */
interface Inherited {
  tags: string[];
  vars: Vars[];
  become?: boolean;
  becomeUser?: string;
  ignoreErrors: boolean;
}

/** Run one play on one batch of hosts: facts, sections, handlers (linear strategy). */
export async function runPlay(play: Play, hosts: HostState[], env: PlayEnv): Promise<void> {
  const top: Inherited = { tags: play.tags, vars: [], ignoreErrors: false };
  if (play.gatherFacts) await gatherFacts(hosts, env);
  for (const section of play.sections) {
    await runNodes(section.tasks, hosts, top, play, env);
    // notifications left pending by an earlier run join where their handlers
    // normally run, after the main tasks, not before them
    await flushHandlers(play, hosts, env, section.name !== 'pre_tasks');
  }
}

async function runNodes(nodes: TaskNode[], hosts: HostState[], inh: Inherited, play: Play, env: PlayEnv): Promise<void> {
  for (const node of nodes) {
    if (!hosts.some((h) => h.active)) return;
    if (node.kind === 'block') await runBlock(node, hosts, inh, play, env);
    else await runTask(node, hosts, inh, play, env, false);
  }
}

function inherit(inh: Inherited, node: Block): Inherited {
  return {
    tags: [...inh.tags, ...node.tags],
    vars: [...inh.vars, node.vars],
    become: node.become ?? inh.become,
    becomeUser: node.becomeUser ?? inh.becomeUser,
    ignoreErrors: inh.ignoreErrors || node.ignoreErrors,
  };
}

/** block/rescue/always: hosts that fail in the block run rescue (and count as rescued if it succeeds); every host that entered runs always. */
async function runBlock(block: Block, hosts: HostState[], inh: Inherited, play: Play, env: PlayEnv): Promise<void> {
  const inner = inherit(inh, block);
  const entered = hosts.filter((h) => h.active && (block.when.length === 0 || evaluateCondition(block.when, scopeFor(h, play, inner, {}, env.options), block.loc)));
  if (entered.length === 0) return;
  await runNodes(block.block, entered, inner, play, env);
  const failedHere = entered.filter((h) => h.failed && !h.unreachable);
  if (block.rescue.length && failedHere.length) {
    for (const h of failedHere) {
      h.failed = false;
      h.counts.failed--;
      h.counts.rescued++;
    }
    await runNodes(block.rescue, failedHere, inner, play, env);
  }
  if (block.always.length) {
    const stillFailed = entered.filter((h) => h.failed && !h.unreachable);
    stillFailed.forEach((h) => (h.failed = false));
    await runNodes(block.always, entered, inner, play, env);
    stillFailed.forEach((h) => (h.failed = true));
  }
}

export function taskInfo(task: Task, handler: boolean): TaskInfo {
  const base = task.name ?? getModule(task.module)?.title?.(task.args) ?? task.module;
  return { title: task.role ? `${task.role.name} : ${base}` : base, module: task.module, loc: task.loc, noLog: task.noLog, handler };
}

/** Variables in precedence order, lowest first (DESIGN.md 4). */
function scopeFor(h: HostState, play: Play, inh: Inherited, taskVars: Vars, options: RunOptions): Vars {
  const layers: ScopeLayer[] = [
    ...play.roles.map((r) => ({ name: `role ${r.name} defaults`, vars: r.defaults })),
    { name: 'inventory', vars: h.inventoryVars },
    { name: 'magic', vars: { facts: h.facts ?? {}, playbook_dir: play.dir, rosey_check_mode: options.check, ansible_check_mode: options.check }, data: true },
    { name: 'play vars', vars: play.vars },
    ...play.varsFiles.map((v, i) => ({ name: `vars_files[${i}]`, vars: v })),
    ...play.roles.map((r) => ({ name: `role ${r.name} vars`, vars: r.vars })),
    ...inh.vars.map((v) => ({ name: 'block vars', vars: v })),
    { name: 'task vars', vars: taskVars },
    { name: 'registered', vars: h.runtimeVars, data: true },
    { name: 'extra vars', vars: options.extraVars },
  ];
  return buildScope(layers);
}

async function runTask(task: Task, hosts: HostState[], inh: Inherited, play: Play, env: PlayEnv, handler: boolean): Promise<HostState[]> {
  const tags = [...inh.tags, ...task.tags];
  if (!handler && !selectedByTags(tags, env.options.tags, env.options.skipTags)) return [];
  const targets = hosts.filter((h) => h.active);
  if (targets.length === 0) return [];
  const info = taskInfo(task, handler);
  env.reporter.event({ kind: 'task-start', task: info, hosts: targets.map((h) => h.name) });
  const ok: HostState[] = [];
  await mapLimit(targets, env.options.forks, async (h) => {
    const become = becomeFor(task.become ?? inh.become ?? play.become, task.becomeUser ?? inh.becomeUser ?? play.becomeUser, h.spec.user);
    const taskEnv: TaskEnv = {
      runId: env.runId,
      check: env.options.check,
      host: h.name,
      become,
      playDir: play.dir,
      handler,
      connection: () => (task.delegateToLocal ? Promise.resolve(env.connections.local()) : env.connection(h)),
      reconnect: async (dropped) => {
        if (!task.delegateToLocal) await env.connections.reconnect(h.spec, dropped);
        else throw dropped;
      },
      applied: (report) => {
        h.backups.push(...report.backups);
        h.created.push(...report.created);
      },
    };
    let r = await executeTask(task, scopeFor(h, play, inh, task.vars, env.options), taskEnv);
    if (r.status === 'failed' && (task.ignoreErrors || inh.ignoreErrors)) r = { ...r, ignored: true };
    if (r.status === 'changed' && task.notify.length) await notify(h, task.notify, env);
    recordResult(h, info, r, task);
    env.reporter.event({ kind: 'host-result', task: info, host: h.name, result: r, diff: env.options.diff, check: env.options.check });
    if (r.status !== 'failed' && r.status !== 'unreachable') ok.push(h);
  });
  return ok;
}

async function notify(h: HostState, handlers: string[], env: PlayEnv): Promise<void> {
  handlers.forEach((n) => h.notified.add(n));
  const fresh = handlers.filter((n) => !h.persistedNotify.has(n));
  if (env.options.check || fresh.length === 0) return;
  const conn = await env.connection(h);
  const r = await conn.exec(markPendingCmd(fresh), { become: rootFor(h.spec) });
  if (r.rc === 0) fresh.forEach((n) => h.persistedNotify.add(n));
  else env.reporter.event({ kind: 'warning', host: h.name, message: `could not record pending handlers on the host: ${r.stderr.trim()}` });
}

async function flushHandlers(play: Play, hosts: HostState[], env: PlayEnv, withPending: boolean): Promise<void> {
  if (play.handlers.length === 0) return;
  if (withPending) await takePending(play, hosts, env);
  for (const handler of play.handlers) {
    const topics = [handler.name ?? '', ...handler.listen];
    const due = hosts.filter((h) => h.active && topics.some((t) => h.notified.has(t)));
    if (due.length === 0) continue;
    const ran = await runTask(handler, due, { tags: [], vars: [], ignoreErrors: false }, play, env, true);
    for (const h of ran) {
      topics.forEach((t) => h.notified.delete(t));
      const marked = topics.filter((t) => h.persistedNotify.has(t));
      if (marked.length && !env.options.check) {
        const conn = await env.connection(h);
        await conn.exec(joinCmds(marked.map(clearPendingCmd), ';'), { become: rootFor(h.spec) });
        marked.forEach((t) => h.persistedNotify.delete(t));
      }
    }
  }
}


/**
 * Marks an earlier run left on the host become notifications of this play's
 * handlers. gather_facts brought them already; without it they are read here,
 * once per run.
 */
async function takePending(play: Play, hosts: HostState[], env: PlayEnv): Promise<void> {
  const live = hosts.filter((h) => h.active);
  await mapLimit(live.filter((h) => !h.pendingOnHost), env.options.forks, async (h) => {
    try {
      const conn = await env.connection(h);
      h.pendingOnHost = pendingFact.parse((await conn.exec(pendingFact.command)).stdout);
    } catch (err) {
      recordResult(h, { title: 'pending handlers', module: 'setup', loc: play.loc, noLog: false, handler: true }, failure(err, false));
    }
  });
  const topics = play.handlers.flatMap((hd) => [hd.name ?? '', ...hd.listen]);
  for (const h of live) {
    for (const name of [...(h.pendingOnHost ?? [])].filter((n) => topics.includes(n))) {
      h.notified.add(name);
      h.persistedNotify.add(name);
      h.pendingOnHost!.delete(name);
    }
  }
}

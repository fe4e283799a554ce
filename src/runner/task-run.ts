import type { RunOptions } from './options.js';
import { getModule } from '../modules/registry.js';
import type { Role, Task } from '../playbook/types.js';
import type { TaskInfo, TaskResult } from './events.js';
import { flushHandlers, notify } from './handlers.js';
import type { HostState } from './host-state.js';
import { mapLimit } from './limit.js';
import { becomeFor, recordResult } from './outcome.js';
import { checkFailLimit, varsSignature, type Inherited, type PlayRun } from './play-run.js';
import { predictFrom } from './predict.js';
import { HostReadAhead } from './read-ahead.js';
import { buildScope, type ScopeLayer, type Vars } from './scope.js';
import { selectedByTags } from './tags.js';
import { executeTask, hadEffect, type TaskEnv } from './task-executor.js';

export function taskInfo(task: Task, handler: boolean): TaskInfo {
  const base = task.name ?? getModule(task.module)?.title?.(task.args) ?? task.module;
  return { title: task.role ? `${task.role.name} : ${base}` : base, module: task.module, loc: task.loc, noLog: task.noLog, handler };
}

/** Variables in precedence order, lowest first (DESIGN.md 4; Ansible's order). */
export function scopeFor(h: HostState, run: PlayRun, inh: Inherited, taskVars: Vars, role: Role | undefined): Vars {
  const { play, env } = run;
  const roles = role && !play.roles.includes(role) ? [...play.roles, role] : play.roles;
  const layers: ScopeLayer[] = [
    ...roles.map((r) => ({ name: `role ${r.name} defaults`, vars: r.defaults })),
    { name: 'inventory', vars: h.inventoryVars },
    { name: 'magic', vars: magicVars(h, run, env.options), data: true },
    { name: 'play vars', vars: play.vars },
    ...play.varsFiles.map((v, i) => ({ name: `vars_files[${i}]`, vars: v })),
    ...roles.map((r) => ({ name: `role ${r.name} vars`, vars: r.vars })),
    ...inh.vars.map((v) => ({ name: 'block vars', vars: v })),
    { name: 'task vars', vars: taskVars },
    { name: 'registered', vars: h.runtimeVars, data: true },
    ...(role ? [{ name: `role ${role.name} params`, vars: role.params }] : []),
    { name: 'extra vars', vars: env.options.extraVars },
  ];
  return buildScope(layers);
}

function magicVars(h: HostState, run: PlayRun, options: RunOptions): Vars {
  const failed = h.failedTask ? { ansible_failed_task: h.failedTask.task, rosey_failed_task: h.failedTask.task, ansible_failed_result: h.failedTask.result } : {};
  return {
    facts: h.facts ?? {},
    playbook_dir: run.play.dir,
    rosey_check_mode: options.check,
    ansible_check_mode: options.check,
    ansible_play_batch: run.batch.filter((b) => b.active).map((b) => b.name),
    ...failed,
  };
}

export interface RunTaskOpts {
  handler: boolean;
  /** force_handlers: hosts that failed still run their notified handlers */
  includeFailed?: boolean;
}

/** Run one task on the hosts (forks at a time); returns the hosts it did not fail on. */
export async function runTask(task: Task, hosts: HostState[], inh: Inherited, run: PlayRun, opts: RunTaskOpts): Promise<HostState[]> {
  const { env } = run;
  if (!opts.handler && !selectedByTags([...inh.tags, ...task.tags], env.options.tags, env.options.skipTags)) return [];
  const live = hosts.filter((h) => h.active || (opts.includeFailed && !h.unreachable));
  if (live.length === 0 || run.stopped) return [];
  if (task.module === 'meta') return runMeta(task, live, run);
  // run_once: the first host runs it; every host gets its result
  const targets = task.runOnce ? live.slice(0, 1) : live;
  const info = taskInfo(task, opts.handler);
  const when = [...inh.when, ...task.when];
  const effective: Task = when.length === task.when.length ? task : { ...task, when };
  env.reporter.event({ kind: 'task-start', task: info, hosts: targets.map((h) => h.name) });
  const ok: HostState[] = [];
  await mapLimit(targets, env.options.forks, async (h) => {
    const r = await runOn(effective, h, inh, run, opts.handler);
    const receivers = task.runOnce ? live : [h];
    for (const to of receivers) {
      if (r.status === 'changed' && task.notify.length) await notify(to, task.notify, env);
      if (to === h) recordResult(h, info, r, task);
      else if (task.register) {
        to.runtimeVars[task.register] = r.output;
        to.varsWrites++;
      }
    }
    if (r.status === 'failed' && !r.ignored) {
      h.failedTask = { task: { name: task.name ?? info.title, action: task.module }, result: r.output };
      h.varsWrites++;
    }
    env.reporter.event({ kind: 'host-result', task: info, host: h.name, result: r, diff: env.options.diff, check: env.options.check });
    if (r.status !== 'failed' && r.status !== 'unreachable') ok.push(...receivers);
  });
  if (!inh.rescuable) checkFailLimit(run);
  return ok;
}

async function runOn(task: Task, h: HostState, inh: Inherited, run: PlayRun, handler: boolean): Promise<TaskResult> {
  const { play, env } = run;
  const become = becomeFor(task.become ?? inh.become ?? play.become, task.becomeUser ?? inh.becomeUser ?? play.becomeUser, h.spec.user);
  const taskEnv: TaskEnv = {
    runId: env.runId,
    // check_mode: false runs for real in a dry run, check_mode: true never changes anything
    check: task.checkMode ?? inh.checkMode ?? env.options.check,
    host: h.name,
    become,
    playDir: play.dir,
    handler,
    // delegate_to: localhost runs the task on the controller, for this host
    connection: () => (task.delegateToLocal ? Promise.resolve(env.connections.local()) : env.connection(h)),
    reconnect: async (dropped) => {
      if (task.delegateToLocal) throw dropped;
      await env.connections.reconnect(h.spec, dropped);
    },
    applied: (report) => {
      h.backups.push(...report.backups);
      h.created.push(...report.created);
    },
  };
  const host = hostReadAhead(h, run);
  // until: each attempt sees the host as it is then; delegate_to: the controller's files, not the host's
  if (host && !task.until && !task.delegateToLocal) taskEnv.ahead = host.forTask(task, run.outline?.indexOf(task), become);
  const r = await executeTask(task, scopeFor(h, run, inh, task.vars, task.role), taskEnv);
  if (!taskEnv.ahead && hadEffect(r, taskEnv)) {
    // what it did is not known path by path (a delegated task may even have written a template's source)
    host?.changed(undefined);
    if (task.delegateToLocal) h.varsWrites++;
  }
  return r.status === 'failed' && (task.ignoreErrors || inh.ignoreErrors) ? { ...r, ignored: true } : r;
}

/** The host's read-ahead for this play, made on first use. */
function hostReadAhead(h: HostState, run: PlayRun): HostReadAhead | undefined {
  const { outline, readAhead } = run;
  if (!outline || !readAhead) return undefined;
  let got = readAhead.get(h);
  if (!got) {
    got = new HostReadAhead({
      predict: (from, become, known) => predictFrom(outline, from, become, (e) => scopeFor(h, run, e.inh, e.task.vars, e.task.role), run, h.spec.user, known),
      signature: () => varsSignature(run),
      exec: async (command, become) => (await run.env.connection(h)).exec(command, { become, quick: true }),
    }, 4 * outline.entries.length + 64);
    readAhead.set(h, got);
  }
  return got;
}

/** meta: flush_handlers runs the notified handlers now; end_play ends the play for every host. */
async function runMeta(task: Task, hosts: HostState[], run: PlayRun): Promise<HostState[]> {
  const action = task.args.action;
  if (action === 'flush_handlers') await flushHandlers(run, run.batch, false);
  if (action === 'end_play') run.stopped = true;
  return hosts;
}

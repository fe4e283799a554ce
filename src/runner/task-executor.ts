import { formatLoc, UserError } from '../errors/diagnostic.js';
import { getModule } from '../modules/registry.js';
import { ModuleFailure, type AnyHostModule, type AnyModule, type ApplyOutput, type ApplyReport, type Change, type ControllerModule } from '../modules/types.js';
import { checkSchema } from '../playbook/schema-check.js';
import type { Task } from '../playbook/types.js';
import { UnreachableError, type Become, type Connection } from '../transport/connection.js';
import { evaluate, evaluateCondition } from '../vars/expression.js';
import { revealDeep } from '../vars/plain-data.js';
import { renderValue } from '../vars/template.js';
import { applyContext } from './apply-context.js';
import { commandFailure } from './failure-message.js';
import { NO_LOG_MESSAGE, type TaskResult } from './events.js';
import { LoopFacts, type ItemStart } from './loop-facts.js';
import type { TaskAhead } from './read-ahead.js';
import { factBatch, type BatchPart } from '../facts/combine.js';
import type { Fact } from '../facts/types.js';
import { prepareContext } from './prepare-context.js';
import { retryNumbers } from './retry-count.js';
import { extendScope, type Vars } from './scope.js';

export interface TaskEnv {
  runId: string;
  check: boolean;
  host: string;
  become: Become | undefined;
  playDir: string;
  /** the task is a handler that was notified */
  handler?: boolean;
  /** the task's connection: the host's, or the controller's for `delegate_to: localhost` */
  connection(): Promise<Connection>;
  /**
   * After the connection dropped: a new one (with back-off), or an
   * UnreachableError when the host stays away.
   */
  reconnect(dropped: UnreachableError): Promise<void>;
  /** what an apply really did (backups made, files created), for the journal */
  applied(report: ApplyReport): void;
  /** the host's facts read ahead for the play's later tasks (read-ahead.ts); absent: every read is the task's own */
  ahead?: TaskAhead;
}

export function result(status: TaskResult['status'], msg?: string, extra: Partial<TaskResult> = {}): TaskResult {
  return { status, changes: [], msg, output: { changed: status === 'changed', failed: status === 'failed', skipped: status === 'skipped', msg }, ...extra };
}

/** Run one task (all its loop items, retries) on one host. Never throws for task or host failures. */
export async function executeTask(task: Task, scope: Vars, env: TaskEnv): Promise<TaskResult> {
  try {
    if (task.loop === undefined) {
      const r = await runWithConditions(task, scope, env);
      if (hadEffect(r, env)) env.ahead?.changed(changedPaths(r));
      return r;
    }
    const items = loopItems(task, scope);
    if (!Array.isArray(items)) return result('failed', items.error);
    const scopes = items.map((item) => itemScope(task, scope, item));
    const ahead = loopFacts(task, scopes, env);
    const results: LoopItem[] = [];
    for (const [i, item] of items.entries()) {
      const r = await runWithConditions(task, scopes[i]!, env, await ahead?.take(i));
      results.push({ label: typeof item === 'object' ? JSON.stringify(item) : String(item), item, result: r });
      if (r.status === 'unreachable') break;
      // what an item did on the host may be what a later item (or task) reads
      if (hadEffect(r, env)) {
        ahead?.invalidate(changedPaths(r));
        env.ahead?.changed(changedPaths(r));
      }
    }
    return combineItems(results);
  } catch (err) {
    return failure(err, task.noLog);
  }
}

/** The loop's items, or why it is no list. */
export function loopItems(task: Task, scope: Vars): unknown[] | { error: string } {
  const rendered = renderValue(task.loop, scope, task.loc);
  if (!Array.isArray(rendered)) return { error: `loop must be a list, got ${typeof rendered} (${formatLoc(task.loc)})` };
  // with_items flattens one level, as Ansible's does; loop does not
  return task.flattenLoop ? rendered.flatMap((i: unknown) => (Array.isArray(i) ? (i as unknown[]) : [i])) : rendered;
}

export function itemScope(task: Task, scope: Vars, item: unknown): Vars {
  return extendScope(scope, { [task.loopVar]: item }, 'loop');
}

/**
 * The loop's facts read ahead in one command. Not with `until` (each attempt
 * must see the host as it is then), nor on the controller (`delegate_to:
 * localhost`: no round trip to save, and an item may make a later one's source).
 */
function loopFacts(task: Task, scopes: Vars[], env: TaskEnv): LoopFacts | undefined {
  if (task.until || task.delegateToLocal || scopes.length < 2) return undefined;
  const prepare = (mod: AnyHostModule, scope: Vars, i: number): Promise<unknown> => {
    const early = env.ahead?.prepared(i);
    return early?.mod === mod ? Promise.resolve(early.prepared) : prepareArgs(mod, task, scope, env.playDir);
  };
  return new LoopFacts(task, scopes, env.check, prepare, (facts) => readFacts(facts, env));
}

/** Facts in one command: through the read-ahead when the task has one. Throws when the command as a whole failed. */
async function readFacts(facts: readonly Fact<unknown>[], env: TaskEnv): Promise<BatchPart[]> {
  if (env.ahead) return env.ahead.read(facts);
  const batch = factBatch(facts);
  const out = await (await env.connection()).exec(batch.command, { become: env.become, quick: true });
  if (out.rc !== 0) throw new Error(`exit ${out.rc}`);
  return batch.parse(out.stdout);
}

/** The task (or item) may have changed the host: a change made, a command run, a failure part-way. */
export function hadEffect(r: TaskResult, env: Pick<TaskEnv, 'check'>): boolean {
  return !env.check && (r.changes.length > 0 || r.status === 'failed' || r.status === 'unreachable');
}

/** The paths an item's changes wrote; undefined when it may have touched others (a command, a failure). */
function changedPaths(r: TaskResult): string[] | undefined {
  if (r.status === 'failed' || r.status === 'unreachable') return undefined;
  const paths = r.changes.map((c) => (c.action === 'run' ? undefined : c.path));
  return paths.every((p): p is string => p !== undefined) ? paths : undefined;
}

async function runWithConditions(task: Task, scope: Vars, env: TaskEnv, start?: ItemStart): Promise<TaskResult> {
  try {
    if (task.when.length && !evaluateCondition(task.when, scope, task.loc)) return result('skipped', 'conditional result was false');
    const { retries, delayS } = retryNumbers(task, scope);
    for (let attempts = 1; ; attempts++) {
      const r = await runReconnecting(task, scope, env, start);
      const judged = judge(task, r, scope);
      if (!task.until || judged.status === 'unreachable' || env.check) return judged;
      // Ansible's `attempts`: how many runs it took, on the registered result
      const counted = { ...judged, output: { ...judged.output, attempts } };
      if (evaluateCondition(task.until, withRegistered(task, scope, counted.output), task.loc)) return counted;
      if (attempts > retries) {
        const msg = `still not true after ${retries} retries: ${task.until.join(' and ')}`;
        return { ...counted, status: 'failed', msg, output: { ...counted.output, failed: true, msg } };
      }
      await new Promise((res) => setTimeout(res, delayS * 1000));
    }
  } catch (err) {
    return failure(err, task.noLog);
  }
}

/**
 * A connection that drops mid-task is opened again and the task starts over
 * from its facts: what a cut apply did or did not do is read from the host
 * and planned again, never replayed blindly.
 */
async function runReconnecting(task: Task, scope: Vars, env: TaskEnv, start?: ItemStart): Promise<TaskResult> {
  try {
    return await runOnce(task, scope, env, start);
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    await env.reconnect(err);
    // the host may have rebooted, or the cut apply done part of its work: nothing read before holds
    env.ahead?.changed(undefined);
    return runOnce(task, scope, env);
  }
}

/** The scope with a result under the task's `register` name, for until/changed_when/failed_when. */
function withRegistered(task: Task, scope: Vars, output: Record<string, unknown>): Vars {
  return task.register ? extendScope(scope, { [task.register]: output }, 'registered') : scope;
}

/** changed_when / failed_when, seen through the registered name as in Ansible. */
function judge(task: Task, r: TaskResult, scope: Vars): TaskResult {
  if (r.status === 'skipped' || r.status === 'unreachable' || (!task.changedWhen && !task.failedWhen)) return r;
  const s = withRegistered(task, scope, r.output);
  let status = r.status;
  if (task.changedWhen && status !== 'failed') status = evaluateCondition(task.changedWhen, s, task.loc) ? 'changed' : 'ok';
  if (task.failedWhen) {
    const failed = evaluateCondition(task.failedWhen, s, task.loc);
    // a command that ran changed something, failed or not (unless changed_when says otherwise)
    status = failed ? 'failed' : status === 'failed' ? (r.output.changed === true && !task.changedWhen ? 'changed' : 'ok') : status;
  }
  return { ...r, status, output: { ...r.output, changed: status === 'changed', failed: status === 'failed' } };
}

async function runOnce(task: Task, scope: Vars, env: TaskEnv, start?: ItemStart): Promise<TaskResult> {
  if (start) return runHostModule(start.mod, task, scope, env, start);
  const mod = getModule(task.module);
  if (!mod) throw new UserError({ severity: 'error', summary: `unknown module "${task.module}"`, source: task.loc });
  // a module that acts or waits (uri, wait_for) has nothing to plan: --check skips it
  if (env.check && checkMode(mod) === 'skip') return result('skipped', `skipped in check mode (${mod.name} acts when run)`);
  if (mod.kind === 'controller') return runController(mod, task, scope);
  return runHostModule(mod, task, scope, env);
}

/**
 * A module's arguments, rendered. A vault value (`content: "{{ cert }}"`)
 * arrives as its text: modules and their schemas take strings, and a
 * Secret object turned into text by a module would write the mask. It
 * stays hidden all the same: printers mask every known secret value.
 */
function renderArgs(task: Task, scope: Vars, rawArgs: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(task.args)) out[k] = rawArgs.includes(k) ? v : revealDeep(renderValue(v, scope, task.loc));
  return out;
}

/** Render, validate and prepare a host module's arguments (controller-side: nothing here reads the host). */
export async function prepareArgs(mod: AnyHostModule, task: Task, scope: Vars, playDir: string): Promise<unknown> {
  const args = renderArgs(task, scope);
  validated(task, mod, args);
  return mod.prepare ? mod.prepare(args, prepareContext(task, scope, playDir)) : args;
}

function validated(task: Task, schemaOwner: { name: string; args: Parameters<typeof checkSchema>[0] }, args: Record<string, unknown>): void {
  const diags = checkSchema(schemaOwner.args, args, schemaOwner.name, task.loc);
  if (diags.length) throw new UserError(diags.map((d) => ({ ...d, summary: `${d.summary} (after templating)` })));
}

function checkMode(mod: AnyModule): 'plan' | 'run' | 'skip' {
  return mod.check ?? (mod.kind === 'host' ? 'plan' : 'run');
}

async function runController(mod: ControllerModule, task: Task, scope: Vars): Promise<TaskResult> {
  const args = renderArgs(task, scope, mod.rawArgs);
  validated(task, mod, args);
  const r = await mod.run(args as never, { vars: scope, evaluate: (expr) => evaluate(expr, scope, task.loc) });
  const status = r.failed ? 'failed' : 'ok';
  return {
    status,
    changes: [],
    msg: r.msg,
    ...(r.display !== undefined ? { display: r.display } : {}),
    output: { changed: false, failed: status === 'failed', msg: r.msg, ...r.data, ...(r.setFacts ? { ansible_facts: r.setFacts } : {}) },
  };
}

async function runHostModule(mod: AnyHostModule, task: Task, scope: Vars, env: TaskEnv, start?: ItemStart): Promise<TaskResult> {
  const early = start || task.loop !== undefined ? undefined : env.ahead?.prepared();
  const prepared = start ? start.prepared : early?.mod === mod ? early.prepared : await prepareArgs(mod, task, scope, env.playDir);
  const conn = await env.connection();
  const fact = mod.facts(prepared);
  let facts: unknown = start?.facts?.value;
  const readAhead = fact && !start?.facts && env.ahead ? await readOne(fact, env.ahead) : undefined;
  if (readAhead) facts = readAhead.value;
  else if (fact && !start?.facts) {
    const r = await conn.exec(fact.command, { become: env.become });
    if (r.rc !== 0) return result('failed', commandFailure("could not read the host's state", r.rc, r.stderr, env.become));
    facts = fact.parse(r.stdout);
  }
  const changes: Change[] = mod.plan(facts, prepared);
  const data = mod.result?.(facts, prepared) ?? {};
  if (changes.length === 0) return withData(result('ok', undefined, { facts }), data);
  if (env.check) {
    // a command without creates/removes cannot be predicted: skipped, as Ansible does (a notified handler would run all the same)
    if (changes.every((c) => c.unknowable)) {
      return env.handler ? result('changed', 'would run (notified)', { changes, facts }) : result('skipped', 'skipped in check mode: a command without creates/removes cannot be predicted', { changes, facts });
    }
    const verb = changes.some((c) => c.action === 'run') ? 'would run' : 'would change';
    return withData(result('changed', `${verb}${env.handler ? ' (notified)' : ''}`, { changes, facts }), data);
  }
  const { ctx, report } = applyContext(conn, env.runId, env.become);
  let out: ApplyOutput = {};
  try {
    for (const change of changes) {
      out = (await mod.apply(change, ctx)) ?? {};
      if (out.failed) break;
    }
  } finally {
    // what the host says it did, even when a later change failed
    env.applied(report);
  }
  const status = out.failed ? 'failed' : 'changed';
  // what a person sees says why (stderr's last lines); the registered msg stays Ansible's
  const failedCommand = out.failed && out.rc !== undefined && out.rc !== 0;
  const msg = failedCommand ? commandFailure(undefined, out.rc!, out.stderr ?? '', env.become) : (out.msg ?? (out.failed ? 'failed' : undefined));
  return {
    status,
    changes,
    facts,
    msg,
    output: {
      ...data,
      ...out.data,
      changed: true,
      failed: status === 'failed',
      msg: out.msg ?? msg,
      ...(out.rc !== undefined ? { rc: out.rc } : {}),
      ...(out.stdout !== undefined ? { stdout: out.stdout, stdout_lines: linesOf(out.stdout) } : {}),
      ...(out.stderr !== undefined ? { stderr: out.stderr, stderr_lines: linesOf(out.stderr) } : {}),
    },
  };
}

/** One fact through the read-ahead; undefined: read it alone, which reports why it failed. */
async function readOne(fact: Fact<unknown>, ahead: TaskAhead): Promise<BatchPart> {
  try {
    return (await ahead.read([fact]))[0];
  } catch {
    return undefined;
  }
}

function withData(r: TaskResult, data: Record<string, unknown>): TaskResult {
  return { ...r, output: { ...data, ...r.output } };
}

/** Ansible's *_lines: the text's lines, without the empty one after a final newline. */
function linesOf(text: string): string[] {
  return text.split('\n').filter((l, i, a) => l !== '' || i < a.length - 1);
}

/** One loop item: its label for people, its value as it was (the integer 2 stays 2) for `results[i].item`. */
interface LoopItem {
  label: string;
  item: unknown;
  result: TaskResult;
}

function combineItems(items: LoopItem[]): TaskResult {
  const statuses = items.map((i) => i.result.status);
  const status = statuses.includes('unreachable')
    ? 'unreachable'
    : statuses.includes('failed')
      ? 'failed'
      : statuses.includes('changed')
        ? 'changed'
        : statuses.every((s) => s === 'skipped') // an empty loop too, as in Ansible
          ? 'skipped'
          : 'ok';
  const failedItem = items.find((i) => i.result.status === 'failed' || i.result.status === 'unreachable');
  return {
    status,
    changes: items.flatMap((i) => i.result.changes),
    msg: failedItem?.result.msg,
    items: items.map(({ label, result }) => ({ label, result })),
    output: { changed: status === 'changed', failed: status === 'failed', skipped: status === 'skipped', results: items.map((i) => ({ ...i.result.output, item: i.item })) },
  };
}

/** Turn what went wrong into a result: unreachable hosts and task failures are results, not crashes. */
export function failure(err: unknown, noLog: boolean): TaskResult {
  if (err instanceof UnreachableError) return result('unreachable', err.message);
  if (noLog) return result('failed', NO_LOG_MESSAGE);
  if (err instanceof ModuleFailure) return result('failed', err.message, { output: { failed: true, changed: false, msg: err.message, ...err.output } });
  if (err instanceof UserError) return result('failed', err.message);
  throw err;
}


import { Type } from '@sinclair/typebox';
import { UserError, type Diagnostic, type SourceLoc } from '../errors/diagnostic.js';
import { getModule, moduleNames } from '../modules/registry.js';
import { suggest } from '../vars/did-you-mean.js';
import { keyLocOf, locOf } from '../yaml/source.js';
import { loadTimeSchema, normalizeArgs, resolveAliases } from './args.js';
import { optional, TASK_KEYWORDS, UNSUPPORTED_KEYWORDS } from './keywords.js';
import { checkSchema } from './schema-check.js';
import { checkConditions, toConditions, toList } from './conditions.js';
import type { Block, Role, Task, TaskCommon, TaskNode } from './types.js';

export interface TaskContext {
  file: string;
  /** folder of the file being read */
  dir: string;
  role?: Role;
  diags: Diagnostic[];
  /** how many import_tasks deep this file is */
  depth?: number;
  /** the task files being imported, outermost first: a file met again is a cycle */
  chain?: string[];
  /** read an import_tasks/include_tasks file relative to this context */
  importTasks(path: string, from: SourceLoc, ctx: TaskContext): TaskNode[];
  /** load a role named by import_role/include_role: its tasks (its handlers join the play's) */
  importRole?(ref: RoleTaskRef, from: SourceLoc, ctx: TaskContext): TaskNode[];
}

/** `import_role: {name, tasks_from, vars}` */
export interface RoleTaskRef {
  name: string;
  tasksFrom?: string;
  params: Record<string, unknown>;
}

/** Task keywords a block does not take (Ansible refuses most of them too; run_once on a block is not supported yet). */
const NOT_ON_BLOCKS = ['loop', 'with_items', 'loop_control', 'register', 'notify', 'listen', 'changed_when', 'failed_when', 'until', 'retries', 'delay', 'args', 'run_once'];

const KEYWORD_SCHEMA = Type.Object(optional(TASK_KEYWORDS), { additionalProperties: true });

/** Parse a list of tasks (tasks:, block:, handlers:, a tasks file). */
export function parseTasks(list: unknown, ctx: TaskContext, fallback: SourceLoc): TaskNode[] {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) {
    ctx.diags.push({ severity: 'error', summary: 'expected a list of tasks', source: locOf(list) ?? fallback });
    return [];
  }
  return list.flatMap((raw, i) => parseTask(raw, locOf(list, i) ?? fallback, ctx));
}

function parseTask(raw: unknown, loc: SourceLoc, ctx: TaskContext): TaskNode[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    ctx.diags.push({ severity: 'error', summary: 'a task must be a mapping (name: ..., <module>: ...)', source: loc });
    return [];
  }
  const t = raw as Record<string, unknown>;
  const before = ctx.diags.length;
  ctx.diags.push(...checkSchema(KEYWORD_SCHEMA, t, 'task', loc));
  const common = parseCommon(t, loc, ctx);
  const others = Object.keys(t).filter((k) => !(k in TASK_KEYWORDS));
  for (const k of others.filter((k) => k in UNSUPPORTED_KEYWORDS)) {
    ctx.diags.push({ severity: 'error', summary: `"${k}" is not supported: ${UNSUPPORTED_KEYWORDS[k]}`, source: keyLocOf(t, k) ?? loc });
  }
  const candidates = others.filter((k) => !(k in UNSUPPORTED_KEYWORDS));

  if ('block' in t) {
    for (const k of candidates) unknownKey(k, t, loc, ctx, 'a block');
    for (const k of Object.keys(t).filter((k) => NOT_ON_BLOCKS.includes(k))) {
      ctx.diags.push({ severity: 'error', summary: `"${k}" is not valid on a block`, detail: 'Put it on the tasks inside the block.', source: keyLocOf(t, k) ?? loc });
    }
    const block: Block = {
      kind: 'block',
      ...common,
      block: parseTasks(t.block, ctx, loc),
      rescue: parseTasks(t.rescue, ctx, loc),
      always: parseTasks(t.always, ctx, loc),
    };
    return [block];
  }
  const special = parseSpecial(t, candidates, common, loc, ctx);
  if (special) return special;

  const modules = candidates.filter((k) => getModule(k));
  for (const k of candidates.filter((k) => !getModule(k))) unknownKey(k, t, loc, ctx, 'a task');
  if (modules.length === 0) {
    if (ctx.diags.length === before) {
      ctx.diags.push({ severity: 'error', summary: 'this task names no module', detail: `Add one module, e.g. "copy:" or "command:". Modules: ${moduleNames().join(', ')}.`, source: loc });
    }
    return [];
  }
  if (modules.length > 1) {
    ctx.diags.push({ severity: 'error', summary: `a task runs one module, this one names ${modules.length}: ${modules.join(', ')}`, detail: 'Split it into one task per module.', source: loc });
    return [];
  }
  return [parseModuleTask(t, modules[0]!, common, loc, ctx)];
}

/** import_tasks, include_tasks, import_role, include_role, meta; undefined for a module task. */
function parseSpecial(t: Record<string, unknown>, candidates: string[], common: TaskCommon, loc: SourceLoc, ctx: TaskContext): TaskNode[] | undefined {
  const key = ['import_tasks', 'include_tasks', 'import_role', 'include_role', 'meta'].find((k) => k in t);
  if (!key) return undefined;
  for (const k of candidates) unknownKey(k, t, loc, ctx, key === 'meta' ? 'a meta task' : 'an import');
  const from = locOf(t, key) ?? loc;
  if (key === 'meta') return [{ ...moduleTaskBase(t, common), module: 'meta', args: { action: t.meta } }];
  if (key === 'import_role' || key === 'include_role') {
    const ref = t[key] as { name?: unknown; tasks_from?: unknown; vars?: Record<string, unknown> } | null;
    if (typeof ref?.name !== 'string' || !ctx.importRole) return [];
    const inner = ctx.importRole({ name: ref.name, tasksFrom: typeof ref.tasks_from === 'string' ? ref.tasks_from : undefined, params: ref.vars ?? {} }, from, ctx);
    const block: Block = { kind: 'block', ...common, block: inner, rescue: [], always: [] };
    // include_role is a task of its own, its when checked once; import_role is static
    return [key === 'include_role' ? { ...block, include: { file: '', load: () => inner } } : block];
  }
  const target = t[key];
  if (typeof target !== 'string') return [];
  if (key === 'import_tasks') {
    // an import is a block without rescue: its when/tags/vars apply to every imported task
    return [{ kind: 'block', ...common, block: ctx.importTasks(target, from, ctx), rescue: [], always: [] }];
  }
  // include_tasks: a literal file is read now (checked before any host is contacted); a templated one when reached
  const load = (path: string): TaskNode[] => {
    const diags: Diagnostic[] = [];
    const nodes = ctx.importTasks(path, from, { ...ctx, diags });
    if (diags.length) throw new UserError(diags);
    return nodes;
  };
  const inner = target.includes('{{') ? [] : ctx.importTasks(target, from, ctx);
  return [{ kind: 'block', ...common, block: inner, rescue: [], always: [], include: { file: target, load: (path) => (path === target && !target.includes('{{') ? inner : load(path)) } }];
}

/** Keywords every task-like node has, with no module yet. */
function moduleTaskBase(t: Record<string, unknown>, common: TaskCommon): Omit<Task, 'module' | 'args'> {
  return {
    kind: 'task',
    ...common,
    loop: t.loop ?? t.with_items,
    loopVar: (t.loop_control as { loop_var?: string } | undefined)?.loop_var ?? 'item',
    flattenLoop: t.loop === undefined && t.with_items !== undefined,
    register: typeof t.register === 'string' ? t.register : undefined,
    notify: toList(t.notify),
    changedWhen: toConditions(t.changed_when),
    failedWhen: toConditions(t.failed_when),
    until: toConditions(t.until),
    retries: typeof t.retries === 'number' || typeof t.retries === 'string' ? t.retries : t.until !== undefined ? 3 : 0,
    delayS: typeof t.delay === 'number' || typeof t.delay === 'string' ? t.delay : 5,
    listen: toList(t.listen),
    runOnce: t.run_once === true,
    delegateToLocal: t.delegate_to !== undefined,
  };
}

function parseModuleTask(t: Record<string, unknown>, moduleKey: string, common: TaskCommon, loc: SourceLoc, ctx: TaskContext): Task {
  const mod = getModule(moduleKey)!;
  const argsLoc = locOf(t, moduleKey) ?? loc;
  let args = normalizeArgs(mod, t[moduleKey]);
  if (!args) {
    ctx.diags.push({ severity: 'error', summary: `${moduleKey}: arguments must be a mapping or key=value words`, source: argsLoc });
    args = {};
  }
  if (t.args && typeof t.args === 'object') args = { ...(t.args as Record<string, unknown>), ...args };
  args = resolveAliases(mod, args);
  ctx.diags.push(...checkSchema(loadTimeSchema(mod.args), args, mod.name, argsLoc));
  const task: Task = { ...moduleTaskBase(t, common), module: mod.name, args };
  for (const key of ['changed_when', 'failed_when', 'until'] as const) {
    checkConditions(t[key], locOf(t, key) ?? loc, ctx.diags);
  }
  return task;
}

function parseCommon(t: Record<string, unknown>, loc: SourceLoc, ctx: TaskContext): TaskCommon {
  checkConditions(t.when, locOf(t, 'when') ?? loc, ctx.diags);
  return {
    name: typeof t.name === 'string' ? t.name : undefined,
    loc,
    when: toConditions(t.when) ?? [],
    tags: toList(t.tags),
    become: typeof t.become === 'boolean' ? t.become : undefined,
    becomeUser: typeof t.become_user === 'string' ? t.become_user : undefined,
    ignoreErrors: t.ignore_errors === true,
    noLog: t.no_log === true,
    vars: (t.vars as Record<string, unknown> | undefined) ?? {},
    role: ctx.role,
    dir: ctx.dir,
    checkMode: typeof t.check_mode === 'boolean' ? t.check_mode : undefined,
  };
}

function unknownKey(key: string, t: Record<string, unknown>, loc: SourceLoc, ctx: TaskContext, where: string): void {
  const hint = suggest(key, [...moduleNames(), ...Object.keys(TASK_KEYWORDS)]);
  ctx.diags.push({
    severity: 'error',
    summary: `unknown module or keyword "${key}" in ${where}${hint ? `; did you mean "${hint}"?` : ''}`,
    detail: `Modules: ${moduleNames().join(', ')}.`,
    source: keyLocOf(t, key) ?? loc,
  });
}

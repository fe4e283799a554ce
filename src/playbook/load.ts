import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { Type } from '@sinclair/typebox';
import { UserError, type Diagnostic, type SourceLoc } from '../errors/diagnostic.js';
import { suggest } from '../vars/did-you-mean.js';
import { keyLocOf, locOf } from '../yaml/source.js';
import { toList } from './conditions.js';
import { optional, PLAY_KEYWORDS } from './keywords.js';
import { loadRoles } from './roles.js';
import { checkSchema } from './schema-check.js';
import { parseTasks, type TaskContext } from './task.js';
import { tryLoadYaml } from './try-load.js';
import type { Play, Playbook, Role, Task, TaskNode } from './types.js';

const PLAY_SCHEMA = Type.Object(optional(PLAY_KEYWORDS), { additionalProperties: true });
const MAX_IMPORT_DEPTH = 20;

/**
 * Read a playbook and everything it names (imported playbooks, task files,
 * roles, vars_files), validating all of it. Every problem in every file is
 * collected and thrown together as one UserError: nothing is contacted
 * until the whole playbook is known to be well formed.
 */
export function loadPlaybook(file: string): Playbook {
  const diags: Diagnostic[] = [];
  const plays = loadPlays(resolve(file), diags, []);
  if (diags.length) throw new UserError(diags);
  return { file: resolve(file), plays };
}

function loadPlays(file: string, diags: Diagnostic[], chain: string[]): Play[] {
  const top: SourceLoc = { file, line: 1, column: 1 };
  if (chain.includes(file)) {
    diags.push({ severity: 'error', summary: `import_playbook cycle: ${[...chain, file].join(' -> ')}`, source: top });
    return [];
  }
  const doc = tryLoadYaml(file, diags);
  if (doc === undefined) return [];
  if (!Array.isArray(doc)) {
    diags.push({ severity: 'error', summary: 'a playbook is a list of plays (each starting with "- hosts: ...")', source: locOf(doc) ?? top });
    return [];
  }
  return doc.flatMap((raw, i) => {
    const loc = locOf(doc, i) ?? top;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      diags.push({ severity: 'error', summary: 'a play must be a mapping with at least "hosts:"', source: loc });
      return [];
    }
    const p = raw as Record<string, unknown>;
    if (typeof p.import_playbook === 'string') {
      return loadPlays(resolve(dirname(file), p.import_playbook), diags, [...chain, file]);
    }
    const play = loadPlay(p, file, loc, diags);
    return play ? [play] : [];
  });
}

function loadPlay(p: Record<string, unknown>, file: string, loc: SourceLoc, diags: Diagnostic[]): Play | undefined {
  const dir = dirname(file);
  diags.push(...checkSchema(PLAY_SCHEMA, p, 'play', loc));
  for (const key of Object.keys(p).filter((k) => !(k in PLAY_KEYWORDS))) {
    const hint = suggest(key, Object.keys(PLAY_KEYWORDS));
    diags.push({
      severity: 'error',
      summary: `unknown play keyword "${key}"${hint ? `; did you mean "${hint}"?` : ''}`,
      detail: key === 'tasks' ? undefined : 'A play holds hosts, vars, roles, tasks and handlers; tasks go under "tasks:".',
      source: keyLocOf(p, key) ?? loc,
    });
  }
  if (p.hosts === undefined) diags.push({ severity: 'error', summary: 'this play has no "hosts:"', detail: 'Say which inventory hosts or groups it targets, e.g. "hosts: all".', source: loc });

  // handlers of roles that tasks import (import_role/include_role) join the play's
  const taskRoleHandlers: Task[] = [];
  const taskRoles: Role[] = [];
  const base: TaskContext = {
    file,
    dir,
    diags,
    importTasks,
    importRole: (ref, from) => {
      const loaded = loadRoles([{ role: ref.name, vars: ref.params }], dir, () => from, base, ref.tasksFrom);
      taskRoleHandlers.push(...loaded.flatMap((r) => r.handlers));
      // their defaults and vars are the play's from then on, as import_role's are in Ansible
      taskRoles.push(...loaded.map((r) => r.role));
      return loaded.flatMap((r) => r.tasks);
    },
  };
  const roleRefs = Array.isArray(p.roles) ? p.roles : [];
  const roles = loadRoles(roleRefs, dir, (i) => locOf(p.roles, i) ?? loc, base);
  const section = (key: string): TaskNode[] => parseTasks(p[key], base, locOf(p, key) ?? loc);
  const pre = section('pre_tasks');
  const tasks = section('tasks');
  const post = section('post_tasks');
  const handlers = uniqueHandlers([...roles.flatMap((r) => r.handlers), ...taskRoleHandlers, ...section('handlers').filter((t): t is Task => t.kind === 'task')]);
  const play: Play = {
    name: typeof p.name === 'string' ? p.name : String(p.hosts ?? ''),
    loc,
    hosts: Array.isArray(p.hosts) ? p.hosts.map(String).join(':') : String(p.hosts ?? ''),
    dir,
    vars: (p.vars as Record<string, unknown> | undefined) ?? {},
    varsFiles: toList(p.vars_files).map((f, i) => loadVarsFile(f, dir, locOf(p.vars_files, i) ?? loc, diags)),
    become: p.become === true,
    becomeUser: typeof p.become_user === 'string' ? p.become_user : undefined,
    gatherFacts: p.gather_facts !== false,
    serial: p.serial === undefined ? undefined : Array.isArray(p.serial) ? (p.serial as (number | string)[]) : [p.serial as number | string],
    maxFailPercentage: typeof p.max_fail_percentage === 'number' ? p.max_fail_percentage : undefined,
    anyErrorsFatal: p.any_errors_fatal === true,
    forceHandlers: p.force_handlers === true,
    tags: toList(p.tags),
    roles: [...roles.map((r) => r.role), ...taskRoles],
    sections: [
      { name: 'pre_tasks', tasks: pre },
      { name: 'tasks', tasks: [...roles.flatMap((r) => r.tasks), ...tasks] },
      { name: 'post_tasks', tasks: post },
    ],
    handlers,
  };
  checkNotify(play, diags);
  return play;
}

/** A role named twice (other parameters) brings its handlers once. */
function uniqueHandlers(handlers: Task[]): Task[] {
  const seen = new Set<string>();
  return handlers.filter((h) => {
    const key = `${h.role?.name ?? ''}\0${h.name ?? ''}\0${h.loc.file}:${h.loc.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function loadVarsFile(name: string, dir: string, loc: SourceLoc, diags: Diagnostic[]): Record<string, unknown> {
  const path = isAbsolute(name) ? name : resolve(dir, name);
  if (!existsSync(path)) {
    diags.push({ severity: 'error', summary: `vars file not found: ${name}`, detail: `Looked for ${path}.`, source: loc });
    return {};
  }
  const v = tryLoadYaml(path, diags);
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    diags.push({ severity: 'error', summary: 'a vars file must be a mapping of variable names to values', source: locOf(v) ?? { file: path, line: 1, column: 1 } });
    return {};
  }
  return v as Record<string, unknown>;
}

function importTasks(path: string, from: SourceLoc, ctx: TaskContext): TaskNode[] {
  const depth = ctx.depth ?? 0;
  if (depth > MAX_IMPORT_DEPTH) {
    ctx.diags.push({ severity: 'error', summary: `import_tasks nested more than ${MAX_IMPORT_DEPTH} deep (a cycle?)`, source: from });
    return [];
  }
  if (path.includes('{{')) {
    ctx.diags.push({ severity: 'error', summary: 'task file names cannot be templated', detail: 'Name the file literally; use when: to choose between imports.', source: from });
    return [];
  }
  const file = isAbsolute(path) ? path : resolve(ctx.dir, path);
  if (!existsSync(file)) {
    ctx.diags.push({ severity: 'error', summary: `task file not found: ${path}`, detail: `Looked for ${file}.`, source: from });
    return [];
  }
  const chain = ctx.chain ?? [ctx.file];
  if (chain.includes(file)) {
    // refused at the first repeat: a file importing itself three times would
    // otherwise grow as 3^depth before any depth limit is reached
    ctx.diags.push({ severity: 'error', summary: `import cycle: ${[...chain, file].map((f) => relative(process.cwd(), f) || f).join(' -> ')}`, detail: 'A task file cannot import itself, directly or through others; use a loop or a block instead.', source: from });
    return [];
  }
  const inner = { ...ctx, file, dir: dirname(file), depth: depth + 1, chain: [...chain, file] };
  return parseTasks(tryLoadYaml(file, ctx.diags), inner, { file, line: 1, column: 1 });
}

/** A notify that names no handler would silently never run: refuse it now. */
function checkNotify(play: Play, diags: Diagnostic[]): void {
  const names = new Set(play.handlers.flatMap((h) => [h.name ?? '', ...h.listen]).filter(Boolean));
  const visit = (nodes: TaskNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'block') {
        visit(n.block);
        visit(n.rescue);
        visit(n.always);
        continue;
      }
      for (const target of n.notify) {
        if (names.has(target) || target.includes('{{')) continue;
        const hint = suggest(target, [...names]);
        diags.push({
          severity: 'error',
          summary: `notify "${target}" matches no handler in this play${hint ? `; did you mean "${hint}"?` : ''}`,
          detail: names.size ? `Handlers: ${[...names].join(', ')}.` : 'This play has no handlers.',
          source: n.loc,
        });
      }
    }
  };
  play.sections.forEach((s) => visit(s.tasks));
  visit(play.handlers);
}

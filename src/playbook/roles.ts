import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SourceLoc } from '../errors/diagnostic.js';
import { suggest } from '../vars/did-you-mean.js';
import { locOf } from '../yaml/source.js';
import { tryLoadYaml } from './try-load.js';
import { parseTasks, type TaskContext } from './task.js';
import type { Role, Task, TaskNode } from './types.js';

export interface LoadedRole {
  role: Role;
  tasks: TaskNode[];
  handlers: Task[];
}

/** Where roles are looked for, in order: beside the playbook, the project's roles/, the working directory's. */
export function roleSearchPath(playDir: string): string[] {
  return [...new Set([join(playDir, 'roles'), resolve(playDir, '..', 'roles'), resolve('roles')])];
}

function yamlIn(dir: string, sub: string): string | undefined {
  for (const name of ['main.yml', 'main.yaml']) {
    const f = join(dir, sub, name);
    if (existsSync(f)) return f;
  }
  return undefined;
}

function mapping(file: string | undefined, diags: TaskContext['diags']): Record<string, unknown> {
  if (!file) return {};
  const v = tryLoadYaml(file, diags);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * Load roles named by a play (and, first, their meta dependencies), each
 * once per play. `base` gives the diagnostics list and how to import task
 * files; the role's own folder becomes the context of its tasks.
 */
export function loadRoles(refs: unknown[], playDir: string, refLoc: (i: number) => SourceLoc, base: TaskContext, tasksFrom?: string): LoadedRole[] {
  const loaded: LoadedRole[] = [];
  // as in Ansible, a role runs once per play unless named again with other parameters
  const seen = new Set<string>();
  const visit = (ref: unknown, loc: SourceLoc, chain: string[]): void => {
    const name = typeof ref === 'string' ? ref : (ref as { role?: unknown } | null)?.role;
    if (typeof name !== 'string') return;
    if (chain.includes(name)) {
      base.diags.push({ severity: 'error', summary: `role dependency cycle: ${[...chain, name].join(' -> ')}`, source: loc });
      return;
    }
    const params = typeof ref === 'object' && ref ? { ...(ref as Record<string, unknown>) } : {};
    delete params.role;
    const paramVars = (params.vars as Record<string, unknown> | undefined) ?? {};
    delete params.vars;
    const key = `${name}\0${JSON.stringify({ ...params, ...paramVars })}`;
    if (seen.has(key)) return;
    const dir = roleSearchPath(playDir).map((p) => join(p, name)).find((d) => existsSync(d));
    if (!dir) {
      const known = roleSearchPath(playDir).flatMap((p) => (existsSync(p) ? readdirSync(p) : []));
      const hint = suggest(name, known);
      base.diags.push({
        severity: 'error',
        summary: `role "${name}" not found${hint ? `; did you mean "${hint}"?` : ''}`,
        detail: `Looked in: ${roleSearchPath(playDir).join(', ')}`,
        source: loc,
      });
      return;
    }
    seen.add(key);
    const metaFile = yamlIn(dir, 'meta');
    const meta = mapping(metaFile, base.diags);
    const deps = Array.isArray(meta.dependencies) ? meta.dependencies : [];
    deps.forEach((d, i) => visit(d, locOf(meta.dependencies, i) ?? loc, [...chain, name]));

    const role: Role = {
      name,
      dir,
      defaults: mapping(yamlIn(dir, 'defaults'), base.diags),
      vars: mapping(yamlIn(dir, 'vars'), base.diags),
      params: { ...params, ...paramVars },
    };
    const ctxFor = (sub: string, file: string): TaskContext => ({ ...base, file, dir: join(dir, sub), role });
    const tasksFile = chain.length === 0 && tasksFrom ? tasksFileNamed(dir, tasksFrom, loc, base) : yamlIn(dir, 'tasks');
    const handlersFile = yamlIn(dir, 'handlers');
    const at = (file: string): SourceLoc => ({ file, line: 1, column: 1 });
    loaded.push({
      role,
      tasks: tasksFile ? parseTasks(tryLoadYaml(tasksFile, base.diags), ctxFor('tasks', tasksFile), at(tasksFile)) : [],
      handlers: handlersFile
        ? parseTasks(tryLoadYaml(handlersFile, base.diags), ctxFor('handlers', handlersFile), at(handlersFile)).filter((t): t is Task => t.kind === 'task')
        : [],
    });
  };
  refs.forEach((r, i) => visit(r, refLoc(i), []));
  return loaded;
}

/** `tasks_from: setup` is tasks/setup.yml (or .yaml, or the name as given). */
function tasksFileNamed(dir: string, name: string, loc: SourceLoc, base: TaskContext): string | undefined {
  const found = [name, `${name}.yml`, `${name}.yaml`].map((n) => join(dir, 'tasks', n)).find((f) => existsSync(f));
  if (!found) base.diags.push({ severity: 'error', summary: `tasks_from: no file "${name}" in ${join(dir, 'tasks')}`, source: loc });
  return found;
}

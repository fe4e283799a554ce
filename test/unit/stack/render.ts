import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadInventory } from '../../../src/inventory/inventory.js';
import { renderTemplateFile } from '../../../src/vars/template.js';

/** The repository root (this file is test/unit/stack/render.ts). */
export const ROOT = resolve(import.meta.dirname, '../../..');
export const ENVIRONMENTS = ['test', 'prod', 'local'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

function roleDefaults(role: string): Record<string, unknown> {
  return (parse(readFileSync(join(ROOT, 'roles', role, 'defaults', 'main.yml'), 'utf8')) ?? {}) as Record<string, unknown>;
}

/**
 * The variables a role's template sees on the first host of `group` in an
 * environment's inventory: the role's defaults below the inventory's values
 * (the engine's precedence, docs/variables.md), plus `extra` on top (as -e).
 */
export async function roleVars(env: Environment, role: string, group: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const inventory = await loadInventory(join(ROOT, 'inventory', env));
  const [host] = inventory.selectHosts(group);
  if (!host) throw new Error(`inventory/${env} has no host in group ${group}`);
  return { ...roleDefaults('common'), ...roleDefaults(role), ...inventory.hostVars(host), ...extra };
}

/** Render `roles/<role>/templates/<name>` with the engine's own renderer. */
export function renderRoleTemplate(role: string, name: string, vars: Record<string, unknown>): string {
  return renderTemplateFile(join(ROOT, 'roles', role, 'templates', name), vars);
}

/** Write text to a fresh temp directory (promtool and amtool read files). */
export function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rosey-stack-')), name);
  writeFileSync(file, text);
  return file;
}

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadInventory } from '../../../src/inventory/inventory.js';
import { hostvarsView } from '../../../src/runner/hostvars.js';
import { buildScope } from '../../../src/runner/scope.js';
import { useVaultPassword } from '../../../src/vault/keyring.js';
import { readPasswordFile } from '../../../src/vault/password.js';
import { renderString } from '../../../src/vars/template.js';

/** The repository root (this file is test/unit/stack/render.ts). */
export const ROOT = resolve(import.meta.dirname, '../../..');
export const ENVIRONMENTS = ['test', 'prod', 'local'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The example vault password of an environment's example vault (inventory/README.md). */
export function vaultPasswordFile(env: Environment): string {
  return join(ROOT, 'inventory', env, 'vault-password.example');
}

const inventories = new Map<Environment, ReturnType<typeof loadInventory>>();

/** Loaded once per environment and test file: opening the vault costs a scrypt. */
function inventoryOf(env: Environment): ReturnType<typeof loadInventory> {
  let loaded = inventories.get(env);
  if (!loaded) {
    useVaultPassword(() => readPasswordFile(vaultPasswordFile(env)));
    loaded = loadInventory(join(ROOT, 'inventory', env));
    inventories.set(env, loaded);
  }
  return loaded;
}

function roleDefaults(role: string): Record<string, unknown> {
  return (parse(readFileSync(join(ROOT, 'roles', role, 'defaults', 'main.yml'), 'utf8')) ?? {}) as Record<string, unknown>;
}

/**
 * The variables a role's template sees on the first host of `group` in an
 * environment's inventory, in the engine's own scope (runner/scope.ts: values
 * that are templates, like `bot_password: "{{ vault_bot_password }}"`, are
 * rendered on read): the common and the role's defaults below the inventory's
 * layers (docs/variables.md), plus `extra` on top (as -e).
 */
export async function roleVars(env: Environment, role: string, group: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const inventory = await inventoryOf(env);
  const [host] = inventory.selectHosts(group);
  if (!host) throw new Error(`inventory/${env} has no host in group ${group}`);
  return hostScope(env, role, host, extra);
}

/** The names of the hosts in `group` of an environment's inventory. */
export async function groupHosts(env: Environment, group: string): Promise<string[]> {
  return (await inventoryOf(env)).selectHosts(group);
}

/** As roleVars, on the host named `name`. */
export async function hostRoleVars(env: Environment, role: string, name: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return hostScope(env, role, name, extra);
}

async function hostScope(env: Environment, role: string, host: string, extra: Record<string, unknown>): Promise<Record<string, unknown>> {
  const inventory = await inventoryOf(env);
  return buildScope([
    { name: 'roles/rosey/defaults/main.yml', vars: roleDefaults('rosey') },
    { name: 'roles/common/defaults/main.yml', vars: roleDefaults('common') },
    { name: `roles/${role}/defaults/main.yml`, vars: roleDefaults(role) },
    ...inventory.hostVarLayers(host),
    { name: 'hostvars', vars: { hostvars: hostvarsView(inventory, () => undefined) }, data: true },
    { name: 'extra vars', vars: extra },
  ]);
}

/** Render `roles/<role>/templates/<name>` as the engine's template module does (runner/prepare-context.ts). */
export function renderRoleTemplate(role: string, name: string, vars: Record<string, unknown>): string {
  const file = join(ROOT, 'roles', role, 'templates', name);
  return renderString(readFileSync(file, 'utf8'), vars, { file, line: 1, column: 1 });
}

/** Write text to a fresh temp directory (promtool and amtool read files). */
export function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rosey-stack-')), name);
  writeFileSync(file, text);
  return file;
}

/** The address a host is reached at (its ansible_host), as the templates read it through hostvars. */
export function addressOf(vars: Record<string, unknown>, host: string): string {
  const hv = (vars.hostvars as Record<string, Record<string, unknown>>)[host];
  return String(hv?.ansible_host ?? host);
}

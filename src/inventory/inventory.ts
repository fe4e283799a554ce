import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError, type Diagnostic, type SourceLoc } from '../errors/diagnostic.js';
import { suggest } from '../vars/did-you-mean.js';
import { mergeVars, varOrigin } from '../vars/merge.js';
import { renderValue } from '../vars/template.js';
import { loadYamlFileSync } from '../yaml/source.js';
import { CONNECTION_VARS, connectionSpec, type ConnectionDefaults } from './connection-spec.js';
import { hostVarLayers, type VarSources } from './host-vars.js';
import { parseHosts } from './parse-hosts.js';
import { selectHosts } from './patterns.js';
import { buildStructure } from './structure.js';
import type { Inventory, Vars, VarsFile } from './types.js';
import { loadVarsDir } from './vars-files.js';

export type { Inventory, InventoryGroup, InventoryHost } from './types.js';

const HOSTS_FILES = ['hosts.yml', 'hosts.yaml'];

/** The hosts file and the inventory directory for what the user passed (`-i inventory/prod` or a file). */
function locate(path: string): { file: string; dir: string } {
  if (!existsSync(path)) throw new UserError({ severity: 'error', summary: `inventory not found: ${path}`, detail: 'Pass an inventory directory (holding hosts.yml) or a hosts file, e.g. -i inventory/test.' });
  if (!statSync(path).isDirectory()) return { file: path, dir: dirname(path) };
  const found = HOSTS_FILES.map((f) => join(path, f)).find((f) => existsSync(f));
  if (!found) throw new UserError({ severity: 'error', summary: `no hosts file in inventory ${path}`, detail: `Create ${join(path, 'hosts.yml')} (Ansible's YAML inventory format).`, source: { file: path, line: 1, column: 1 } });
  return { file: found, dir: path };
}

function warnUnknown(files: ReadonlyMap<string, VarsFile[]>, known: ReadonlyMap<string, unknown>, what: 'host' | 'group', diags: Diagnostic[]): void {
  for (const [name, list] of files) {
    if (known.has(name)) continue;
    const s = suggest(name, known.keys());
    diags.push({ severity: 'warning', summary: `${list[0]!.file}: variables for unknown ${what} "${name}" are not used`, detail: s ? `Did you mean "${s}"?` : undefined, source: { file: list[0]!.file, line: 1, column: 1 } });
  }
}

/**
 * Load an inventory: the hosts file (Ansible YAML format) plus group_vars/
 * and host_vars/ beside it. Every mistake in it is reported at once, each
 * with file:line:col; warnings (unused vars files...) are on `warnings`.
 */
export async function loadInventory(path: string, defaults: ConnectionDefaults = {}): Promise<Inventory> {
  const { file, dir } = locate(path);
  const diags: Diagnostic[] = [];
  const parsed = parseHosts(loadYamlFileSync(file), file, diags);
  const structure = buildStructure(parsed, diags);
  const groupVarsFiles = loadVarsDir(join(dir, 'group_vars'), diags);
  const hostVarsFiles = loadVarsDir(join(dir, 'host_vars'), diags);
  warnUnknown(groupVarsFiles, parsed.groups, 'group', diags);
  warnUnknown(hostVarsFiles, parsed.hosts, 'host', diags);
  for (const h of parsed.hosts.values()) {
    if (parsed.groups.has(h.name)) diags.push({ severity: 'warning', summary: `"${h.name}" is both a host and a group; in patterns it means the group`, source: h.source });
  }
  if (parsed.hosts.size === 0) diags.push({ severity: 'warning', summary: 'the inventory has no hosts', source: { file, line: 1, column: 1 } });
  const errors = diags.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !structure) throw new UserError(errors);

  const src: VarSources = { name: basename(resolve(dir)), dir, file, hosts: parsed.hosts, groups: parsed.groups, groupVarsFiles, hostVarsFiles, ...structure };
  const scope = { hosts: [...parsed.hosts.keys()], groupHosts: structure.groupHosts };
  const known = (host: string): void => {
    if (parsed.hosts.has(host)) return;
    const s = suggest(host, parsed.hosts.keys());
    throw new UserError({ severity: 'error', summary: `unknown host "${host}" in inventory ${file}`, detail: s ? `Did you mean "${s}"?` : undefined });
  };
  const inventory: Inventory = {
    name: src.name,
    dir,
    file,
    hosts: parsed.hosts,
    groups: parsed.groups,
    warnings: diags.filter((d) => d.severity === 'warning'),
    hostVarLayers: (host) => (known(host), hostVarLayers(src, host)),
    hostVars: (host) => (known(host), mergeVars(hostVarLayers(src, host))),
    selectHosts: (pattern, limit, loc) => selectHosts(scope, pattern, limit, loc),
    connectionSpec(host, vars) {
      known(host);
      const merged = vars ?? inventory.hostVars(host);
      const where = (name: string): SourceLoc | undefined => varOrigin(merged, name)?.source ?? parsed.hosts.get(host)?.source;
      const rendered: Vars = { ...merged };
      for (const k of CONNECTION_VARS) {
        const v = merged[k];
        if (typeof v === 'string' && v.includes('{{')) rendered[k] = renderValue(v, merged, where(k) ?? { file, line: 1, column: 1 });
      }
      return connectionSpec(host, rendered, defaults, where);
    },
  };
  return inventory;
}

import { resolve } from 'node:path';
import type { VarLayer } from '../vars/merge.js';
import type { InventoryGroup, InventoryHost, Vars, VarsFile } from './types.js';

/**
 * A host's variable sources, lowest precedence first. This is Ansible's
 * order (its "variable precedence" list, items 3 to 9):
 *
 *   1. hosts file: vars of every group of the host, `all` first, then by
 *      depth (parents before children), ansible_group_priority, name
 *   2. group_vars/all, then group_vars/<group> in the same group order
 *   3. hosts file: the host's own vars
 *   4. host_vars/<host>
 *   5. magic variables (inventory_hostname, group_names, groups, ...)
 *
 * So group_vars/ files win over the hosts file even for a less specific
 * group: `group_vars/all.yml` beats `vars:` of a child group in hosts.yml.
 */
export interface VarSources {
  name: string;
  dir: string;
  file: string;
  hosts: ReadonlyMap<string, InventoryHost>;
  groups: ReadonlyMap<string, InventoryGroup>;
  groupVarsFiles: ReadonlyMap<string, VarsFile[]>;
  hostVarsFiles: ReadonlyMap<string, VarsFile[]>;
  /** groups of each host, least specific first */
  hostGroups: ReadonlyMap<string, string[]>;
  groupHosts: ReadonlyMap<string, string[]>;
}

export function magicVars(src: VarSources, host: string): Vars {
  const groups = src.hostGroups.get(host) ?? [];
  return {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0],
    group_names: groups.filter((g) => g !== 'all').sort(),
    groups: Object.fromEntries(src.groupHosts),
    inventory_dir: resolve(src.dir),
    inventory_file: resolve(src.file),
    rosey_environment: src.name,
  };
}

export function hostVarLayers(src: VarSources, host: string): VarLayer[] {
  const groups = src.hostGroups.get(host) ?? [];
  const layers: VarLayer[] = [];
  for (const g of groups) {
    for (const vars of src.groups.get(g)?.varMaps ?? []) layers.push({ name: `${src.file}: group "${g}" vars`, vars });
  }
  for (const g of groups) {
    for (const f of src.groupVarsFiles.get(g) ?? []) layers.push({ name: f.file, vars: f.vars });
  }
  for (const vars of src.hosts.get(host)?.varMaps ?? []) layers.push({ name: `${src.file}: host "${host}"`, vars });
  for (const f of src.hostVarsFiles.get(host) ?? []) layers.push({ name: f.file, vars: f.vars });
  layers.push({ name: 'magic variables', vars: magicVars(src, host) });
  return layers;
}

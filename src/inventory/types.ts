import type { Diagnostic, SourceLoc } from '../errors/diagnostic.js';
import type { ConnectionSpec } from '../transport/connection.js';
import type { VarLayer } from '../vars/merge.js';

export type Vars = Record<string, unknown>;

export interface InventoryHost {
  name: string;
  /** where the host is first written */
  source: SourceLoc;
  /** groups that list the host directly (not their ancestors), in file order */
  groups: string[];
  /** its variables from the hosts file, one map per place it is written */
  varMaps: Vars[];
}

export interface InventoryGroup {
  name: string;
  source?: SourceLoc;
  /** hosts listed directly under the group */
  hosts: string[];
  children: string[];
  parents: string[];
  /** longest distance from `all` (all = 0): a deeper group's vars win */
  depth: number;
  /** its variables from the hosts file, one map per place it is written */
  varMaps: Vars[];
}

/** A variables file from group_vars/ or host_vars/. */
export interface VarsFile {
  /** the path as it is shown in messages */
  file: string;
  vars: Vars;
}

export interface Inventory {
  /** the environment: the inventory directory's name (test, prod, local) */
  readonly name: string;
  /** the inventory directory (relative connection paths resolve against it) */
  readonly dir: string;
  /** the hosts file that was read */
  readonly file: string;
  /** every host, in the order first written in the hosts file */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** every group, `all` and `ungrouped` included */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** things worth saying that do not stop a run (host_vars file for an unknown host...) */
  readonly warnings: readonly Diagnostic[];
  /** the host's variables merged (see hostVarLayers for the order), magic variables included */
  hostVars(host: string): Vars;
  /** the host's variable sources, lowest precedence first, for "where does this value come from" */
  hostVarLayers(host: string): VarLayer[];
  /** Ansible host pattern, then `--limit` (same syntax) on top; names of hosts in inventory order */
  selectHosts(pattern: string | readonly string[], limit?: string, loc?: SourceLoc): string[];
  /** how to reach the host, from its connection variables (templates in them rendered) */
  connectionSpec(host: string, vars?: Vars): ConnectionSpec;
}

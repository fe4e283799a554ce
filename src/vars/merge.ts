import type { SourceLoc } from '../errors/diagnostic.js';
import { locOf } from '../yaml/source.js';

export type Vars = Record<string, unknown>;

/**
 * The sources of variables, lowest precedence first (DESIGN.md 4). A later
 * source replaces an earlier one's value for the same top-level name. Names
 * are for people ("where does this value come from"); ordering is by the
 * caller's layer order, not by these names.
 */
export const PRECEDENCE = [
  'role defaults',
  'inventory all',
  'inventory group',
  'inventory host',
  'facts',
  'play vars',
  'vars_files',
  'role vars',
  'block vars',
  'task vars',
  'registered/set_fact',
  'extra vars',
] as const;

/** One source of variables, e.g. `{ name: 'group_vars/web.yml', vars }`. */
export interface VarLayer {
  /** for people: which file or keyword the values come from */
  name: string;
  vars: Vars;
}

/** Where a merged variable's value came from. */
export interface VarOrigin {
  layer: string;
  /** position of the value when it came from YAML */
  source?: SourceLoc;
}

const origins = new WeakMap<object, Map<string, VarOrigin>>();

/**
 * Merge layers given lowest precedence first. Like Ansible's default
 * (`hash_behaviour = replace`), a later layer replaces a top-level value
 * whole: dicts are NOT deep-merged, so `app: {port: 1}` over
 * `app: {port: 2, host: x}` gives `app: {port: 1}`. Pure: inputs are not
 * modified; the result remembers each name's origin (see `varOrigin`).
 */
export function mergeVars(layers: readonly VarLayer[]): Vars {
  const out: Vars = {};
  const from = new Map<string, VarOrigin>();
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer.vars)) {
      out[k] = v;
      from.set(k, { layer: layer.name, source: locOf(layer.vars, k) });
    }
  }
  origins.set(out, from);
  return out;
}

/** Which layer gave `name` its value in a result of `mergeVars` (undefined for other objects). */
export function varOrigin(merged: Vars, name: string): VarOrigin | undefined {
  return origins.get(merged)?.get(name);
}

/**
 * Every layer that sets `name`, lowest first; the last one wins. For a
 * "where does this value come from" debug view.
 */
export function explainVar(layers: readonly VarLayer[], name: string): Array<VarOrigin & { value: unknown }> {
  return layers
    .filter((l) => Object.prototype.hasOwnProperty.call(l.vars, name))
    .map((l) => ({ layer: l.name, source: locOf(l.vars, name), value: l.vars[name] }));
}

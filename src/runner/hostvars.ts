import type { Inventory } from '../inventory/inventory.js';
import type { HostState } from './host-state.js';
import { buildScope, type Vars } from './scope.js';

/**
 * A class, not a plain object, on purpose: the scope walks plain values
 * looking for templates to render, and must not walk every host of the
 * inventory each time a task reads a variable.
 */
class Hostvars {}

/**
 * `hostvars`: every inventory host's variables by name, as that host sees
 * them (Ansible's `hostvars['web1'].x`): its inventory variables (group and
 * host vars, rendered in its own scope), `facts` once gathered, and its
 * registered and set_fact values. Built when read, so a later play sees the
 * facts an earlier play gathered. A host not in this run has its inventory
 * variables and no facts.
 */
export function hostvarsView(inventory: Inventory, stateOf: (host: string) => HostState | undefined): Vars {
  const known = (key: string | symbol): key is string => typeof key === 'string' && inventory.hosts.has(key);
  const scopeOf = (host: string): Vars => {
    const state = stateOf(host);
    return buildScope([
      ...inventory.hostVarLayers(host),
      { name: 'hostvars', vars: { hostvars: view }, data: true },
      { name: 'facts', vars: { facts: state?.facts ?? {} }, data: true },
      { name: 'registered', vars: state?.runtimeVars ?? {}, data: true },
    ]);
  };
  const view: Vars = new Proxy(new Hostvars() as Vars, {
    get: (_t, key) => (known(key) ? scopeOf(key) : undefined),
    has: (_t, key) => known(key),
    ownKeys: () => [...inventory.hosts.keys()],
    getOwnPropertyDescriptor: (_t, key) => (known(key) ? { value: scopeOf(key), writable: false, enumerable: true, configurable: true } : undefined),
  });
  return view;
}

import { UserError } from '../errors/diagnostic.js';
import { mergeVars, varOrigin, type VarLayer, type Vars } from '../vars/merge.js';
import { renderValue } from '../vars/template.js';
import { hasTemplate } from '../vars/template-roots.js';

export type { Vars, VarLayer };

const layersOf = new WeakMap<Vars, readonly VarLayer[]>();

/**
 * The variables a task sees: layers merged (a later layer replaces a whole
 * top-level value, as Ansible does), and values that are themselves
 * templates (`app_dir: "{{ base }}/app"`) rendered lazily on first read, so
 * a variable that refers to an unset one fails only if something uses it.
 */
export function buildScope(layers: readonly VarLayer[]): Vars {
  const merged = mergeVars(layers);
  const resolved = new Map<string, unknown>();
  const resolving = new Set<string>();
  const proxy: Vars = new Proxy(merged, {
    get(target, key) {
      if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return undefined;
      if (resolved.has(key)) return resolved.get(key);
      const raw = target[key];
      if (!hasTemplate(raw)) return raw;
      const loc = varOrigin(merged, key)?.source ?? { file: '<vars>', line: 0, column: 0 };
      if (resolving.has(key)) {
        throw new UserError({ severity: 'error', summary: `variable "${key}" refers to itself (${[...resolving, key].join(' -> ')})`, source: loc });
      }
      resolving.add(key);
      try {
        const value = renderValue(raw, proxy, loc);
        resolved.set(key, value);
        return value;
      } finally {
        resolving.delete(key);
      }
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return undefined;
      // the raw value: listing names (Object.keys, a did-you-mean) must not
      // render every variable; reads go through `get`, which renders
      return { value: target[key], writable: false, enumerable: true, configurable: true };
    },
    has(target, key) {
      return typeof key === 'string' && Object.prototype.hasOwnProperty.call(target, key);
    },
  });
  layersOf.set(proxy, layers);
  return proxy;
}

/** A new scope with a few more variables on top (loop item, the registered result). */
export function extendScope(scope: Vars, extra: Vars, name = 'extra'): Vars {
  const layers = layersOf.get(scope);
  if (!layers) throw new Error('extendScope: not a scope built by buildScope');
  return buildScope([...layers, { name, vars: extra }]);
}

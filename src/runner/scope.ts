import { UserError } from '../errors/diagnostic.js';
import { mergeVars, varOrigin, type VarLayer, type Vars } from '../vars/merge.js';
import { renderValue } from '../vars/template.js';
import { hasTemplate } from '../vars/template-roots.js';

export type { Vars, VarLayer };

/**
 * A layer of values that came from a host (facts, registered results,
 * set_fact values, loop items): they are data, never rendered again.
 * Only text a person wrote (playbook, roles, inventory, -e) is a template;
 * otherwise a host that prints `{{ db_password }}` would read any variable
 * in its scope (Ansible marks such values "unsafe" for the same reason).
 */
export interface ScopeLayer extends VarLayer {
  data?: boolean;
}

const layersOf = new WeakMap<Vars, readonly ScopeLayer[]>();

/** The names whose winning value comes from a data layer. */
function dataNames(layers: readonly ScopeLayer[]): Set<string> {
  const names = new Set<string>();
  for (const layer of layers) {
    for (const k of Object.keys(layer.vars)) {
      if (layer.data) names.add(k);
      else names.delete(k);
    }
  }
  return names;
}

/**
 * The variables a task sees: layers merged (a later layer replaces a whole
 * top-level value, as Ansible does), and values that are themselves
 * templates (`app_dir: "{{ base }}/app"`) rendered lazily on first read, so
 * a variable that refers to an unset one fails only if something uses it.
 */
export function buildScope(layers: readonly ScopeLayer[]): Vars {
  const merged = mergeVars(layers);
  const data = dataNames(layers);
  const resolved = new Map<string, unknown>();
  const resolving = new Set<string>();
  const proxy: Vars = new Proxy(merged, {
    get(target, key) {
      // Handlebars compares contexts with != inside {{#each}} ({{ ../x }}): give
      // the scope a primitive form, as any object has, without exposing the
      // prototype's methods as variables
      if (key === Symbol.toPrimitive) return () => '[variables]';
      if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return undefined;
      if (resolved.has(key)) return resolved.get(key);
      const raw = target[key];
      if (data.has(key) || !hasTemplate(raw)) return raw;
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

/**
 * A new scope with a few more variables on top. `data` (the default): the
 * values were rendered already or came from a host (a loop item, the
 * registered result) and are never rendered again.
 */
export function extendScope(scope: Vars, extra: Vars, name = 'extra', opts: { data?: boolean } = {}): Vars {
  const layers = layersOf.get(scope);
  if (!layers) throw new Error('extendScope: not a scope built by buildScope');
  return buildScope([...layers, { name, vars: extra, data: opts.data ?? true }]);
}

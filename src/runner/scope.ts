import { UserError, type SourceLoc } from '../errors/diagnostic.js';
import { renderValue } from '../vars/template.js';
import { locOf } from '../yaml/source.js';

export type Vars = Record<string, unknown>;

const layersOf = new WeakMap<Vars, readonly VarLayer[]>();

/** One source of variables, lowest precedence first (DESIGN.md 4). */
export interface VarLayer {
  name: string;
  vars: Vars;
}

function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{');
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).some(hasTemplate);
  return false;
}

/**
 * The variables a task sees: layers merged (a later layer replaces a whole
 * top-level value, as Ansible does), and values that are themselves
 * templates (`app_dir: "{{ base }}/app"`) rendered lazily on first read, so
 * a variable that refers to an unset one fails only if something uses it.
 */
export function buildScope(layers: readonly VarLayer[]): Vars {
  const merged: Vars = {};
  const origin = new Map<string, SourceLoc | undefined>();
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer.vars)) {
      merged[k] = v;
      origin.set(k, locOf(layer.vars, k));
    }
  }
  const resolved = new Map<string, unknown>();
  const resolving = new Set<string>();
  const proxy: Vars = new Proxy(merged, {
    get(target, key) {
      if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return undefined;
      if (resolved.has(key)) return resolved.get(key);
      const raw = target[key];
      if (!hasTemplate(raw)) return raw;
      const loc = origin.get(key) ?? { file: '<vars>', line: 0, column: 0 };
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
      return { value: proxy[key], writable: false, enumerable: true, configurable: true };
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

import { UserError, type SourceLoc } from '../errors/diagnostic.js';
import type { VarLayer, Vars } from '../vars/merge.js';
import { READ } from '../vars/template-direct.js';
import { renderValue } from '../vars/template.js';
import { hasTemplate } from '../vars/template-roots.js';
import { locOf } from '../yaml/source.js';

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

/** A name's winning value and the layer it came from (its data flag, its file:line). */
interface Entry {
  value: unknown;
  layer: ScopeLayer;
}

/** Extensions deeper than this are merged into one table again, so a lookup never walks a long chain. */
const MAX_DEPTH = 8;

/**
 * The names of a scope: a table of the merged layers, or (extendScope) a
 * parent's frame with one layer on top. A loop item's scope is one small
 * table over its task's, instead of every layer merged again per item.
 * Values are taken when the frame is made: a layer changed later (a host's
 * registered results) is seen by scopes built after the change.
 */
class Frame {
  #keys: string[] | undefined;

  private constructor(
    private readonly entries: Map<string, Entry>,
    private readonly parent: Frame | undefined,
    readonly depth: number,
  ) {}

  /** Layers given lowest precedence first; a later layer replaces a whole top-level value. */
  static merge(layers: readonly ScopeLayer[]): Frame {
    const entries = new Map<string, Entry>();
    for (const layer of layers) for (const k of Object.keys(layer.vars)) entries.set(k, { value: layer.vars[k], layer });
    return new Frame(entries, undefined, 0);
  }

  extend(layer: ScopeLayer): Frame {
    const entries = new Map<string, Entry>();
    for (const k of Object.keys(layer.vars)) entries.set(k, { value: layer.vars[k], layer });
    return this.depth < MAX_DEPTH ? new Frame(entries, this, this.depth + 1) : new Frame(new Map([...this.flat(), ...entries]), undefined, 0);
  }

  lookup(key: string): Entry | undefined {
    return this.entries.get(key) ?? this.parent?.lookup(key);
  }

  /** The names, in the order they first appear in the layers. */
  keys(): string[] {
    if (!this.#keys) {
      const own = [...this.entries.keys()];
      this.#keys = this.parent ? [...this.parent.keys(), ...own.filter((k) => !this.parent!.lookup(k))] : own;
    }
    return this.#keys;
  }

  /** Every name's winning entry, in order: the chain as one table. */
  private flat(): Map<string, Entry> {
    return new Map(this.keys().map((k) => [k, this.lookup(k)!]));
  }
}

const framesOf = new WeakMap<Vars, Frame>();

const NOWHERE: SourceLoc = { file: '<vars>', line: 0, column: 0 };

/**
 * The variables a task sees: layers merged (a later layer replaces a whole
 * top-level value, as Ansible does), and values that are themselves
 * templates (`app_dir: "{{ base }}/app"`) rendered lazily on first read, so
 * a variable that refers to an unset one fails only if something uses it.
 */
export function buildScope(layers: readonly ScopeLayer[]): Vars {
  return scopeOf(Frame.merge(layers));
}

/**
 * A new scope with a few more variables on top. `data` (the default): the
 * values were rendered already or came from a host (a loop item, the
 * registered result) and are never rendered again. Template variables are
 * rendered again in the new scope (they may read the new names).
 */
export function extendScope(scope: Vars, extra: Vars, name = 'extra', opts: { data?: boolean } = {}): Vars {
  const frame = framesOf.get(scope);
  if (!frame) throw new Error('extendScope: not a scope built by buildScope');
  return scopeOf(frame.extend({ name, vars: extra, data: opts.data ?? true }));
}

function scopeOf(frame: Frame): Vars {
  const resolved = new Map<string, unknown>();
  const resolving = new Set<string>();
  /** What the scope gives for a name: its value, a template variable rendered (once), undefined for no such name. */
  const read = (key: string): unknown => {
    const e = frame.lookup(key);
    if (!e) return undefined;
    if (resolved.has(key)) return resolved.get(key);
    if (e.layer.data || !hasTemplate(e.value)) return e.value;
    const loc = locOf(e.layer.vars, key) ?? NOWHERE;
    if (resolving.has(key)) {
      throw new UserError({ severity: 'error', summary: `variable "${key}" refers to itself (${[...resolving, key].join(' -> ')})`, source: loc });
    }
    resolving.add(key);
    try {
      const value = renderValue(e.value, proxy, loc);
      resolved.set(key, value);
      return value;
    } finally {
      resolving.delete(key);
    }
  };
  const proxy: Vars = new Proxy({} as Vars, {
    get(_target, key) {
      if (typeof key === 'string') return read(key);
      // Handlebars compares contexts with != inside {{#each}} ({{ ../x }}): give
      // the scope a primitive form, as any object has, without exposing the
      // prototype's methods as variables
      if (key === Symbol.toPrimitive) return () => '[variables]';
      // the template renderer's way to the same reads without proxy traps
      return key === READ ? read : undefined;
    },
    getOwnPropertyDescriptor(_target, key) {
      const e = typeof key === 'string' ? frame.lookup(key) : undefined;
      // the raw value: listing names (Object.keys, a did-you-mean) must not
      // render every variable; reads go through `get`, which renders
      return e && { value: e.value, writable: false, enumerable: true, configurable: true };
    },
    has(_target, key) {
      return typeof key === 'string' && frame.lookup(key) !== undefined;
    },
    ownKeys() {
      return frame.keys();
    },
  });
  framesOf.set(proxy, frame);
  return proxy;
}

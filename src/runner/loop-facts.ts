import { posix } from 'node:path';
import type { BatchPart } from '../facts/combine.js';
import type { Fact } from '../facts/types.js';
import { getModule } from '../modules/registry.js';
import type { AnyHostModule } from '../modules/types.js';
import type { Task } from '../playbook/types.js';
import { evaluateCondition } from '../vars/expression.js';
import type { Vars } from './scope.js';

/** A loop item's host module, ready to plan: its prepared arguments and, when read ahead, its facts. */
export interface ItemStart {
  mod: AnyHostModule;
  prepared: unknown;
  /** the facts, read in the loop's batch; absent: the item reads them itself */
  facts?: { value: unknown };
}

/** How item `i`'s module gets its arguments ready: render, validate, prepare (task-executor's, shared). */
export type PrepareItem = (mod: AnyHostModule, scope: Vars, i: number) => Promise<unknown>;

interface Ready {
  mod: AnyHostModule;
  prepared: unknown;
  fact: Fact<unknown> | undefined;
}

/**
 * The facts of a loop's items, read in one remote command instead of one per
 * item. What an item changed may spoil what was read for later ones (two
 * lineinfile items on one file must each see the other's line), so
 * `invalidate` drops every read fact the change may touch: all of them,
 * unless both the change and the fact name their paths and none overlap
 * (12 templates into 12 files keep theirs; so do 6 directories, each read
 * following links, when none of them was a link: `Fact.pathsOf`). The next item without facts
 * reads the rest of the loop again, again in one command. Each read value is
 * used once: a retry after a dropped connection reads afresh.
 *
 * Items the batch cannot take (a false `when`, a controller module, arguments
 * that do not render) are left to the ordinary path, which reports them as
 * it always did.
 */
export class LoopFacts {
  readonly #ready = new Map<number, Ready | null>();
  readonly #facts = new Map<number, { value: unknown }>();
  /** a batch failed as a whole: the items read on their own from then on */
  #broken = false;

  constructor(
    private readonly task: Task,
    private readonly scopes: readonly Vars[],
    private readonly check: boolean,
    private readonly prepare: PrepareItem,
    /** the facts in one command, each part undefined when it failed alone; throws when the command did */
    private readonly read: (facts: readonly Fact<unknown>[]) => Promise<BatchPart[]>,
  ) {}

  /** Item `i`'s start, reading the facts of it and every later item first if they are not at hand. */
  async take(i: number): Promise<ItemStart | undefined> {
    const ready = await this.#prepared(i);
    if (!ready) return undefined;
    if (ready.fact && !this.#facts.has(i) && !this.#broken) await this.#readFrom(i);
    const facts = this.#facts.get(i);
    this.#facts.delete(i);
    return { mod: ready.mod, prepared: ready.prepared, ...(facts ? { facts } : {}) };
  }

  /** The host changed, at these paths (undefined: anywhere): what was read there may be stale. */
  invalidate(changed: readonly string[] | undefined): void {
    for (const [i, got] of [...this.#facts.entries()]) if (staleAfter(this.#ready.get(i)?.fact, got.value, changed)) this.#facts.delete(i);
  }

  async #readFrom(first: number): Promise<void> {
    const wanted: { i: number; fact: Fact<unknown> }[] = [];
    for (let i = first; i < this.scopes.length; i++) {
      const r = await this.#prepared(i);
      if (r?.fact) wanted.push({ i, fact: r.fact });
    }
    // one item alone gains nothing: it reads its facts itself, reporting a failure as it always did
    if (wanted.length < 2) return;
    try {
      (await this.read(wanted.map((w) => w.fact))).forEach((part, k) => {
        if (part) this.#facts.set(wanted[k]!.i, part);
      });
    } catch {
      // sudo refused, a dropped connection, a broken batch: each item reads on its own, with the usual reconnect and reporting
      this.#broken = true;
    }
  }

  async #prepared(i: number): Promise<Ready | undefined> {
    if (!this.#ready.has(i)) this.#ready.set(i, await this.#prepare(i));
    return this.#ready.get(i) ?? undefined;
  }

  async #prepare(i: number): Promise<Ready | null> {
    const scope = this.scopes[i]!;
    const mod = getModule(this.task.module);
    if (!mod || mod.kind !== 'host' || (this.check && mod.check === 'skip')) return null;
    try {
      if (this.task.when.length && !evaluateCondition(this.task.when, scope, this.task.loc)) return null;
      const prepared = await this.prepare(mod, scope, i);
      return { mod, prepared, fact: mod.facts(prepared) };
    } catch {
      return null;
    }
  }
}

/**
 * Whether what `fact` read (its `value`) may no longer hold after the host
 * changed at `changed` (undefined: anywhere): unless both name their paths
 * and none overlap.
 */
export function staleAfter(fact: Fact<unknown> | undefined, value: unknown, changed: readonly string[] | undefined): boolean {
  const read = fact?.pathsOf ? fact.pathsOf(value) : fact?.paths;
  return !changed || !read || read.some((r) => changed.some((c) => overlaps(r, c)));
}

/** One path is the other or below it (a relative path overlaps everything). */
export function overlaps(a: string, b: string): boolean {
  const [x, y] = [posix.normalize(a).replace(/\/+$/, ''), posix.normalize(b).replace(/\/+$/, '')];
  if (!x.startsWith('/') || !y.startsWith('/')) return true;
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`) || x === '' || y === '';
}

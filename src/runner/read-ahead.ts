import { factBatch, valueOf, type BatchPart, type PartOutput } from '../facts/combine.js';
import type { Fact } from '../facts/types.js';
import type { AnyHostModule } from '../modules/types.js';
import type { Task } from '../playbook/types.js';
import type { Become } from '../transport/connection.js';
import { staleAfter } from './loop-facts.js';

/** A later task's (or loop item's) arguments, prepared ahead, and the fact it will read. */
export interface Prediction {
  task: Task;
  /** the task's place in the play (PlayOutline) */
  at: number;
  /** the loop item's index; undefined for a task without a loop */
  item: number | undefined;
  mod: AnyHostModule;
  prepared: unknown;
  fact: Fact<unknown> | undefined;
}

/** What one task on one host gets from its host's read-ahead (TaskEnv.ahead). */
export interface TaskAhead {
  /**
   * These facts, from what was read ahead or read now in one command
   * together with what later tasks will read. A part comes back undefined
   * when it failed alone: its reader reads it alone to report why. Throws
   * when the command as a whole failed (sudo refused, a dropped connection).
   */
  read(facts: readonly Fact<unknown>[]): Promise<BatchPart[]>;
  /** The task's arguments (item `item` of its loop) as prepared ahead, while the variables they came from are unchanged. */
  prepared(item?: number): { mod: AnyHostModule; prepared: unknown } | undefined;
  /** The host changed at these paths (undefined: anywhere, or unknown): what was read there is read again. */
  changed(paths: readonly string[] | undefined): void;
}

export interface ReadAheadDeps {
  /** the later tasks' predictions, from outline index `from` on, for this become, leaving out the `known` tasks */
  predict(from: number, become: Become | undefined, known: (task: Task) => boolean): Promise<Prediction[]>;
  /** changes whenever a variable a task's arguments may come from changes (registered results, set_fact, a host failing) */
  signature(): string;
  exec(command: Fact<unknown>['command'], become: Become | undefined): Promise<{ rc: number; stdout: string }>;
}

/** An answer kept: what the host printed (each asker parses it its own way), and the reader's own value (for what it promises about paths). */
interface Held {
  out: NonNullable<PartOutput>;
  fact: Fact<unknown>;
  value: unknown;
}

/**
 * One host's facts for the rest of a play, read ahead: at a task's first
 * read, the facts of every later task whose arguments can be known now go
 * in the same command, so a play that changes nothing reads its host once
 * (plus the lock and the run record), not once per task. Each fact is keyed
 * by what it asks (its command, or a file read's paths and options) and its
 * user: a task uses a value read ahead only when it asks exactly what was
 * asked, as that user.
 *
 * What was read stays true until the host changes. Every change a task
 * makes drops what it may touch (all of it, unless both the change and the
 * fact name their paths and none overlap), and so does a failure, a command
 * run, a dropped connection. After a task that changed something the next
 * reads do not look ahead: on a first apply every task changes its part of
 * the host, and what was read ahead would be read again.
 *
 * Reading earlier than the task is the same as the tasks running faster:
 * nothing but the play's own tasks changes the host under the run's lock.
 * Tasks that wait or act (wait_for, uri), `until` retries and tasks on the
 * controller never read ahead.
 */
export class HostReadAhead {
  readonly #held = new Map<string, Held>();
  /** by task: from which variables (`signature`) and as whom (`user`) its arguments were prepared ahead */
  readonly #predicted = new Map<Task, { signature: string; user: string; items: Map<number | undefined, Prediction> }>();
  /** the previous task changed the host: do not look ahead at the next read */
  #changed = false;
  /**
   * Tasks (and items) rendered ahead so far. A play whose every task
   * registers something makes each look-ahead render again all that
   * follows; past a few times the play's length it stops looking ahead.
   */
  #rendered = 0;

  constructor(
    private readonly deps: ReadAheadDeps,
    private readonly budget: number,
  ) {}

  /** The read-ahead as task `task` (at outline index `index`, if it is there) sees it. */
  forTask(task: Task, index: number | undefined, become: Become | undefined): TaskAhead {
    const lookAhead = !this.#changed && index !== undefined;
    this.#changed = false;
    return {
      read: (facts) => this.#read(facts, become, lookAhead ? index + 1 : undefined),
      prepared: (item) => {
        const p = this.#predicted.get(task);
        if (!p || p.signature !== this.deps.signature()) return undefined;
        const got = p.items.get(item);
        return got && { mod: got.mod, prepared: got.prepared };
      },
      changed: (paths) => this.changed(paths),
    };
  }

  changed(paths: readonly string[] | undefined): void {
    this.#changed = true;
    for (const [key, held] of [...this.#held]) if (staleAfter(held.fact, held.value, paths)) this.#held.delete(key);
  }

  async #read(facts: readonly Fact<unknown>[], become: Become | undefined, from: number | undefined): Promise<BatchPart[]> {
    // each fact's key once per read (a file read's is a JSON text)
    const keys = new Map<Fact<unknown>, string>();
    const key = (f: Fact<unknown>): string => keys.get(f) ?? keys.set(f, keyOf(f, become)).get(f)!;
    const missing = facts.filter((f) => !this.#held.has(key(f)));
    if (missing.length) {
      const later = from === undefined ? [] : await this.#predict(from, become);
      const wanted = dedupe([...missing, ...later.filter((f) => !this.#held.has(key(f)))], key);
      const batch = factBatch(wanted);
      const out = await this.deps.exec(batch.command, become);
      if (out.rc !== 0) throw new Error(`exit ${out.rc}`);
      batch.outputs(out.stdout).forEach((got, i) => {
        const fact = wanted[i]!;
        const part = valueOf(fact, got);
        if (got && part) this.#held.set(key(fact), { out: got, fact, value: part.value });
      });
    }
    return facts.map((f) => {
      const held = this.#held.get(key(f));
      return held && valueOf(f, held.out);
    });
  }

  /** The later tasks' facts (all predicted from the variables as they are); their prepared arguments are kept for when the tasks get here. */
  async #predict(from: number, become: Become | undefined): Promise<Fact<unknown>[]> {
    const signature = this.deps.signature();
    const user = become?.user ?? '';
    const valid = (e: { signature: string; user: string } | undefined): boolean => e?.signature === signature && e.user === user;
    const fresh = this.#rendered < this.budget ? await this.deps.predict(from, become, (task) => valid(this.#predicted.get(task))) : [];
    this.#rendered += fresh.length;
    for (const p of fresh) {
      let entry = this.#predicted.get(p.task);
      if (!valid(entry)) this.#predicted.set(p.task, (entry = { signature, user, items: new Map() }));
      entry!.items.set(p.item, p);
    }
    const current = [...this.#predicted.values()].filter(valid);
    return current.flatMap((e) => [...e.items.values()].flatMap((p) => (p.fact && p.at >= from ? [p.fact] : [])));
  }
}

/**
 * What a fact asks, as one user: its command, or for file states the reads
 * its command is made of (the same question, without building the command).
 */
function keyOf(fact: Fact<unknown>, become: Become | undefined): string {
  const question = fact.files ? `files\0${JSON.stringify(fact.files.reads)}` : fact.command.text;
  return `${become?.user ?? ''}\0${question}`;
}

/** The first fact of each question, in order. */
function dedupe(facts: readonly Fact<unknown>[], key: (f: Fact<unknown>) => string): Fact<unknown>[] {
  const seen = new Map<string, Fact<unknown>>();
  for (const f of facts) if (!seen.has(key(f))) seen.set(key(f), f);
  return [...seen.values()];
}

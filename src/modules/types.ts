import type { TSchema, Static } from '@sinclair/typebox';
import type { Fact } from '../facts/types.js';
import type { Cmd } from '../transport/quote.js';
import type { ExecResult } from '../transport/connection.js';

export type ChangeAction = 'create' | 'update' | 'delete' | 'run';

/** An attribute that changes: [before, after]; before is undefined when the path is new. */
export type AttrChange = readonly [string | undefined, string];

/**
 * One difference between the host and the wanted state: plain data, printed
 * by --check/--diff and performed by `apply`. A change whose `path` is set and
 * whose action is update/delete replaces or removes a file: apply backs it up
 * first (ApplyContext.writeFile does it; a delete uses ApplyContext.backup).
 */
export interface Change<D = unknown> {
  action: ChangeAction;
  /** for people: "create directory /srv/app", "run: systemctl daemon-reload" */
  summary: string;
  /** the remote path the change writes or removes */
  path?: string;
  /** text content before/after, for --diff; absent when not a text change */
  content?: { before: string; after: string };
  /** attribute changes, for --diff; `target` is a symlink's target */
  attrs?: { mode?: AttrChange; owner?: AttrChange; group?: AttrChange; type?: AttrChange; target?: AttrChange };
  /**
   * A command with no creates/removes: what it would do cannot be known
   * without running it, so --check reports it skipped (as Ansible does), not
   * as a change. A guarded command that would run is a predicted change.
   */
  unknowable?: boolean;
  /** what apply needs; never shown to people (may hold secrets) */
  data: D;
}

/** What a host module's apply may report back (registered as the task's result). */
export interface ApplyOutput {
  rc?: number;
  stdout?: string;
  stderr?: string;
  /** command/shell: the command ran but failed (non-zero rc) */
  failed?: boolean;
  msg?: string;
  /** more values for `register` (release: `{ release: { id, previous } }`) */
  data?: Record<string, unknown>;
}

/**
 * What an apply really did on the host, as the host reported it (marker
 * lines printed by the scripts that did it): the journal records this and
 * `undo` acts on it. Never inferred from a Change.
 */
export interface ApplyReport {
  /** files replaced or removed, and where their old content now is */
  backups: { path: string; backup: string }[];
  /** paths that did not exist before */
  created: { path: string; type: 'file' | 'directory' | 'link' }[];
}

export interface WriteFileOptions {
  mode?: string;
  owner?: string;
  group?: string;
  /** command run on the temp file before it is installed; %s is its path; non-zero exit = not installed */
  validate?: string;
}

/** The host as apply sees it: the task's become is already bound in. */
export interface ApplyContext {
  run(cmd: Cmd, opts?: { stdin?: string | Uint8Array }): Promise<ExecResult>;
  /**
   * Install a file atomically in one round trip: temp file in the target's
   * directory, mode/owner, validate, back up the old file, rename. Throws
   * ModuleFailure when validate fails (the old file stays).
   */
  writeFile(path: string, data: string | Uint8Array, opts: WriteFileOptions): Promise<void>;
  /**
   * Shell fragment that copies `path` (if present) into this run's backup
   * folder and reports that it did; put it before a command that replaces or
   * removes `path`, in a command run through `run`.
   */
  backup(path: string): Cmd;
  /** Shell fragment that reports `path` as created by this run; put it after the command that created it. */
  created(path: string, type: ApplyReport['created'][number]['type']): Cmd;
}

/** Controller-side work before facts: resolve and read local files, render templates. */
export interface PrepareContext {
  /** resolve a relative src as Ansible does: role files|templates dir, playbook's, playbook dir */
  resolveSource(src: string, kind: 'files' | 'templates'): string;
  /** render a Handlebars template text with the task's variables (strict) */
  render(text: string, sourceName: string): string;
}

/** A task failed in a way the user must see: a result, not a crash. */
export class ModuleFailure extends Error {
  constructor(
    message: string,
    readonly output: ApplyOutput = {},
  ) {
    super(message);
    this.name = 'ModuleFailure';
  }
}

/**
 * What every module says about itself, so that no other layer names a module:
 * the playbook loader reads the aliases and free form, the static check reads
 * `defines`, the reporters read `title` and a result's `display`.
 */
export interface ModuleInfo<S extends TSchema = TSchema> {
  name: string;
  description: string;
  /** the arguments: one TypeBox schema gives the ajv validator, the TS type, the published schema and docs/modules.md */
  args: S;
  /** other names of the module (`service` for systemd); `ansible.builtin.` works for every name */
  moduleAliases?: readonly string[];
  /** Ansible's argument aliases, alias -> argument (`dest` -> `path`) */
  argAliases?: Readonly<Record<string, string>>;
  /**
   * The argument a free-form string fills (`command: ls -l` is `cmd`); the
   * `options` are `key=value` words inside it that stay arguments
   * (`command: make creates=out`). Without it a string must be `key=value` words.
   */
  freeForm?: { arg: string; options?: readonly string[] };
  /**
   * In --check: 'plan' (host modules: facts and plan, never apply), 'run'
   * (controller modules that change nothing), 'skip' (modules whose whole
   * point is to act or wait: uri, wait_for).
   */
  check?: 'plan' | 'run' | 'skip';
  /**
   * Top-level fact fields that change on their own (apt's cache age grows
   * every second): a saved plan neither keeps nor compares them, so they
   * never count as drift. What they decide still shows in the changes.
   */
  volatileFacts?: readonly string[];
  /** variable names a task with these (load-time) arguments defines: set_fact's keys */
  defines?(args: Record<string, unknown>): string[];
  /** what an unnamed task is called ("command ls -l") */
  title?(args: Record<string, unknown>): string | undefined;
}

/**
 * A module that changes a host: facts → plan (pure) → apply, over the host's
 * connection (or the controller's, with `delegate_to: localhost`).
 * `P` is the prepared argument value (`A` when there is no prepare step).
 */
export interface HostModule<S extends TSchema = TSchema, P = Static<S>, F = unknown, D = unknown> extends ModuleInfo<S> {
  kind: 'host';
  prepare?(args: Static<S>, ctx: PrepareContext): Promise<P> | P;
  facts(args: P): Fact<F> | undefined;
  plan(facts: F, args: P): Change<D>[];
  /** values for `register` read from the facts, with or without a change (stat's `stat`) */
  result?(facts: F, args: P): Record<string, unknown>;
  /** perform exactly `change`; there is no check-mode flag: --check never calls apply */
  apply(change: Change<D>, ctx: ApplyContext): Promise<ApplyOutput | void>;
}

/** The result of a controller module (debug, assert, set_fact, fail). */
export interface ControllerResult {
  failed?: boolean;
  msg?: string;
  /** variables to set on the host (set_fact) */
  setFacts?: Record<string, unknown>;
  /** extra values for `register` */
  data?: Record<string, unknown>;
  /** shown to people even when ok (debug's message) */
  display?: string;
}

export interface ControllerContext {
  /** evaluate a `when`-style expression with the task's variables */
  evaluate(expr: string): unknown;
  vars: Readonly<Record<string, unknown>>;
}

/** A module that runs on the controller and never touches a host (may be async: uri). */
export interface ControllerModule<S extends TSchema = TSchema> extends ModuleInfo<S> {
  kind: 'controller';
  /** argument names whose values are expressions, left unrendered for the module to evaluate (assert's `that`) */
  rawArgs?: readonly string[];
  run(args: Static<S>, ctx: ControllerContext): ControllerResult | Promise<ControllerResult>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds modules of every argument type
export type AnyHostModule = HostModule<TSchema, any, any, any>;
export type AnyModule = AnyHostModule | ControllerModule;

export function defineModule<S extends TSchema, P = Static<S>, F = unknown, D = unknown>(
  m: Omit<HostModule<S, P, F, D>, 'kind'>,
): HostModule<S, P, F, D> {
  return { kind: 'host', ...m };
}

export function defineControllerModule<S extends TSchema>(m: Omit<ControllerModule<S>, 'kind'>): ControllerModule<S> {
  return { kind: 'controller', ...m };
}

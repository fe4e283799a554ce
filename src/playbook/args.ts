import { Type, type TSchema } from '@sinclair/typebox';
import { splitCommand } from '../modules/commands/words.js';
import type { ModuleInfo } from '../modules/types.js';

/**
 * A string that will be rendered later: its type is only known then. Built
 * with TypeBox (not as a bare JSON schema) so that TypeBox's Value.Check
 * can judge a relaxed schema: a bare one made it throw, and every start
 * then loaded and compiled ajv (~100 ms) for a valid playbook.
 */
const TEMPLATED = Type.String({ pattern: '\\{\\{' });

const relaxed = new WeakMap<TSchema, TSchema>();

/**
 * The load-time form of a module's argument schema: every argument may also
 * be a `{{ template }}` string. Names, required arguments and literal values
 * are still checked before any host is contacted; templated values are
 * checked again, strictly, once rendered.
 */
export function loadTimeSchema(schema: TSchema): TSchema {
  let r = relaxed.get(schema);
  if (!r) {
    r = relax(schema) as TSchema;
    relaxed.set(schema, r);
  }
  return r;
}

function relax(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = { ...s };
  if (s.properties && typeof s.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(s.properties as Record<string, unknown>).map(([k, v]) => [k, Type.Union([v as TSchema, TEMPLATED])]),
    );
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(s[key])) out[key] = (s[key] as unknown[]).map(relax);
  }
  return out;
}

/** Rename a module's argument aliases to their argument; both given is left for the schema to refuse. */
export function resolveAliases(mod: Pick<ModuleInfo, 'argAliases'>, args: Record<string, unknown>): Record<string, unknown> {
  const table = mod.argAliases;
  if (!table) return args;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    const target = table[k];
    out[target && !(target in args) ? target : k] = v;
  }
  return out;
}

/**
 * Module arguments as written: a mapping, `key=value` words (Ansible's short
 * form, `copy: src=a dest=b`), or for a module with a free form its string
 * (`command: ls -l creates=/x`, `debug: hello`).
 * Returns undefined when the string cannot be split (unbalanced quotes).
 */
export function normalizeArgs(mod: Pick<ModuleInfo, 'freeForm'>, raw: unknown): Record<string, unknown> | undefined {
  if (raw === null || raw === undefined) return {};
  if (typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== 'string') return undefined;
  const free = mod.freeForm;
  const words = splitWords(raw);
  if (!words) return undefined;
  if (free?.options) {
    // trailing creates=/removes=/chdir= stay arguments, as in Ansible
    const names = free.options.join('|');
    const opts: Record<string, unknown> = {};
    for (const w of words) {
      const m = new RegExp(`^(${names})=(.*)$`).exec(w);
      if (m) opts[m[1]!] = m[2];
    }
    if (!Object.keys(opts).length) return { [free.arg]: raw };
    return { [free.arg]: raw.replace(new RegExp(`\\s+(${names})=\\S+`, 'g'), '').trim(), ...opts };
  }
  const kv = words.filter((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  if (kv.length === words.length && kv.length > 0) {
    return Object.fromEntries(kv.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  }
  return free ? { [free.arg]: raw } : undefined;
}

/** Shell-like word split (the command module's own); undefined for unbalanced quotes. */
function splitWords(text: string): string[] | undefined {
  try {
    return splitCommand(text);
  } catch {
    return undefined;
  }
}

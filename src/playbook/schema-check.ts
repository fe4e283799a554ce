import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Diagnostic, SourceLoc } from '../errors/diagnostic.js';
import { suggest } from '../vars/did-you-mean.js';
import { keyLocOf, locOf } from '../yaml/source.js';

const compiled = new WeakMap<TSchema, ValidateFunction>();
let ajv: AjvClass | undefined;

/**
 * ajv is loaded (with require, so the bundled CLI leaves it in node_modules)
 * and a schema compiled only when a value fails the quick check: a valid
 * playbook never pays for either.
 */
function validator(schema: TSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    if (!ajv) {
      const { Ajv } = createRequire(import.meta.url)('ajv') as typeof AjvModule;
      ajv = new Ajv({ allErrors: true, strict: false });
    }
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

function quickCheck(schema: TSchema, value: unknown): boolean {
  try {
    return Value.Check(schema, value);
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function walk(root: unknown, segments: string[]): unknown {
  let cur = root;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

/**
 * Validate `value` against `schema` and turn every ajv error into a
 * diagnostic pointing at the offending key in the YAML (`label` names the
 * value for people: "copy", "play"). Union failures are collapsed into one
 * message per path, since ajv lists every branch.
 */
export function checkSchema(schema: TSchema, value: unknown, label: string, fallback: SourceLoc): Diagnostic[] {
  // Fast path: TypeBox checks a valid value without compiling anything;
  // compiling the ajv validator cost ~100 ms of every start. ajv still
  // decides (and words the errors) whenever TypeBox says no or cannot tell.
  if (quickCheck(schema, value)) return [];
  const validate = validator(schema);
  if (validate(value)) return [];
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of validate.errors ?? []) {
    // a union's own summary, and the `{{ template }}` branch of a relaxed schema, only repeat the real reason
    if (e.keyword === 'anyOf' || (e.keyword === 'pattern' && String(e.params.pattern) === '\\{\\{')) continue;
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const diags: Diagnostic[] = [];
  for (const [path, errors] of byPath) {
    const segments = path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const parent = walk(value, segments.slice(0, -1));
    const last = segments[segments.length - 1];
    const loc = (last !== undefined ? locOf(parent, last) : locOf(value)) ?? fallback;
    const where = segments.length ? `${label}.${segments.join('.')}` : label;
    const extra = errors.find((e) => e.keyword === 'additionalProperties');
    const required = errors.find((e) => e.keyword === 'required');
    if (extra || required) {
      for (const e of errors) {
        if (e.keyword === 'additionalProperties') {
          const key = String(e.params.additionalProperty);
          const known = segments.length === 0 ? Object.keys((schema as { properties?: object }).properties ?? {}) : [];
          const hint = suggest(key, known);
          diags.push({
            severity: 'error',
            summary: `${where}: unknown argument "${key}"${hint ? `; did you mean "${hint}"?` : ''}`,
            ...(known.length ? { detail: `Arguments: ${known.join(', ')}.` } : {}),
            source: keyLocOf(walk(value, segments), key) ?? loc,
          });
        } else if (e.keyword === 'required') {
          diags.push({ severity: 'error', summary: `${where}: missing required argument "${String(e.params.missingProperty)}"`, source: loc });
        }
      }
      continue;
    }
    const got = walk(value, segments);
    const wanted = [...new Set(errors.map((e) => e.message ?? e.keyword))].join(' or ');
    diags.push({ severity: 'error', summary: `${where} ${wanted}, got ${describe(got)}`, source: loc });
  }
  return diags;
}

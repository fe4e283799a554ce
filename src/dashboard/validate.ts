import { Ajv, type ErrorObject } from 'ajv';
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** One problem in a request body, named by its JSON pointer ("/hosts/0/status"). */
export interface FieldError {
  field: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** A string that must be one of `values`: one ajv `enum` error instead of one per union branch. */
export function oneOf<T extends string>(values: readonly T[]) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values] });
}

const ajv = new Ajv({ allErrors: true, strict: true });
// ISO 8601 with a time and an offset, as `Date.toISOString()` and Alertmanager write it.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
ajv.addFormat('date-time', { type: 'string', validate: (s: string) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) });

function describe(e: ErrorObject): FieldError {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') {
    return { field: `${e.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
  }
  if (e.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map(String).join(', ');
    return { field: e.instancePath || '/', message: `must be one of: ${allowed}` };
  }
  if (e.keyword === 'format') {
    return { field: e.instancePath || '/', message: `must be an ISO 8601 ${String(params.format)} (2026-11-24T22:30:00Z)` };
  }
  return { field: e.instancePath || '/', message: e.message ?? 'is invalid' };
}

/** Compile `schema` once; the returned function collects every error, not just the first. */
export function compileParser<S extends TSchema>(schema: S): (body: unknown) => Parsed<Static<S>> {
  const check = ajv.compile<Static<S>>(schema);
  return (body) => {
    if (check(body)) return { ok: true, value: body };
    return { ok: false, errors: (check.errors ?? []).map(describe) };
  };
}

/** "hosts/0/status must be one of: ok, changed; user is required" */
export function summarize(errors: FieldError[]): string {
  return errors.map((e) => `${e.field.replace(/^\//, '') || 'body'} ${e.message}`).join('; ');
}

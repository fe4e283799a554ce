import { Type, type Static } from '@sinclair/typebox';
import type { HostStatus, RunRecord, RunStatus, TaskStatus } from '../journal/record.js';
import { oneOf } from './validate.js';

export const RUN_STATUSES: readonly RunStatus[] = ['running', 'ok', 'failed', 'unreachable'];

/**
 * The JSON Schema of a posted `RunRecord`. The type itself lives in
 * `src/journal/record.ts`; the assertions at the bottom make `tsc` fail when
 * the two drift apart, so there is still one shape.
 *
 * Unknown properties are accepted (and kept in the stored JSON) on purpose: a
 * newer `rosey-apply` that adds an optional field must not have its runs
 * refused by an older dashboard.
 */
const Iso = Type.String({ format: 'date-time' });
const Count = Type.Integer({ minimum: 0 });


const TaskSchema = Type.Object({
  name: Type.String(),
  module: Type.String(),
  status: oneOf<TaskStatus>(['ok', 'changed', 'failed', 'skipped', 'unreachable', 'rescued', 'ignored']),
  source: Type.String(),
  changes: Type.Array(Type.String()),
  msg: Type.Optional(Type.String()),
});

const HostSchema = Type.Object({
  host: Type.String({ minLength: 1 }),
  status: oneOf<HostStatus>(['ok', 'changed', 'failed', 'unreachable']),
  counts: Type.Object({
    ok: Count,
    changed: Count,
    unreachable: Count,
    failed: Count,
    skipped: Count,
    rescued: Count,
    ignored: Count,
  }),
  tasks: Type.Array(TaskSchema),
  backups: Type.Array(Type.Object({ path: Type.String(), backup: Type.String() })),
  created: Type.Optional(Type.Array(Type.Object({ path: Type.String(), type: oneOf<'file' | 'directory' | 'link'>(['file', 'directory', 'link']) }))),
});

export const RunRecordSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' }),
  environment: Type.String({ minLength: 1, maxLength: 64 }),
  playbook: Type.String({ minLength: 1 }),
  version: Type.Optional(Type.String()),
  user: Type.String({ minLength: 1 }),
  reason: Type.Optional(Type.String()),
  gitRevision: Type.Optional(Type.String()),
  check: Type.Boolean(),
  startedAt: Iso,
  finishedAt: Type.Optional(Iso),
  durationMs: Type.Optional(Type.Number({ minimum: 0 })),
  status: oneOf<RunStatus>(RUN_STATUSES),
  rollbackOf: Type.Optional(Type.String()),
  shard: Type.Optional(
    Type.Object({
      index: Type.Integer({ minimum: 1 }),
      count: Type.Integer({ minimum: 1 }),
      group: Type.String({ minLength: 1, maxLength: 128 }),
      hosts: Type.Integer({ minimum: 0 }),
    }),
  ),
  hosts: Type.Array(HostSchema),
});


type SchemaRecord = Static<typeof RunRecordSchema>;
// Strict identity, not mutual assignability: that one misses an added or removed optional field.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compile-time guard: fails to typecheck when the schema and `RunRecord` differ, nested fields included. */
const schemaMatchesType: Equal<SchemaRecord, RunRecord> = true;
void schemaMatchesType;

import { Type, type TOptional, type TSchema } from '@sinclair/typebox';

/** `when: x` and `when: [x, y]` both mean "all of these". */
const Conditions = Type.Union([Type.String(), Type.Boolean(), Type.Array(Type.Union([Type.String(), Type.Boolean()]))]);
const StringList = Type.Union([Type.String(), Type.Array(Type.String())]);
const Vars = Type.Record(Type.String(), Type.Unknown());
const RoleRef = Type.Object(
  { name: Type.String(), tasks_from: Type.Optional(Type.String()), vars: Type.Optional(Vars), public: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const Batch = Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-9]+%$' })]);

/** Keywords valid on tasks, blocks and handlers, with their types. */
export const TASK_KEYWORDS: Record<string, TSchema> = {
  name: Type.String(),
  when: Conditions,
  tags: StringList,
  become: Type.Boolean(),
  become_user: Type.String(),
  ignore_errors: Type.Union([Type.Boolean(), Type.String()]),
  no_log: Type.Boolean(),
  vars: Vars,
  loop: Type.Union([Type.Array(Type.Unknown()), Type.String()]),
  with_items: Type.Union([Type.Array(Type.Unknown()), Type.String()]),
  loop_control: Type.Object({ loop_var: Type.Optional(Type.String()), label: Type.Optional(Type.String()) }, { additionalProperties: false }),
  register: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
  notify: StringList,
  listen: StringList,
  changed_when: Conditions,
  failed_when: Conditions,
  until: Conditions,
  // A template ("{{ bot_startup_timeout }}") is rendered per host when the task runs.
  retries: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '\\{\\{' })]),
  delay: Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: '\\{\\{' })]),
  args: Vars,
  delegate_to: Type.Union([Type.Literal('localhost'), Type.Literal('127.0.0.1')], { description: 'only the controller itself (localhost) is supported' }),
  block: Type.Array(Type.Unknown()),
  rescue: Type.Array(Type.Unknown()),
  always: Type.Array(Type.Unknown()),
  import_tasks: Type.String(),
  include_tasks: Type.String(),
  import_role: RoleRef,
  include_role: RoleRef,
  run_once: Type.Boolean(),
  check_mode: Type.Boolean(),
  meta: Type.Union([Type.Literal('flush_handlers'), Type.Literal('noop'), Type.Literal('end_play')]),
};

/** Keywords of a play. */
export const PLAY_KEYWORDS: Record<string, TSchema> = {
  name: Type.String(),
  hosts: Type.Union([Type.String(), Type.Array(Type.String())]),
  vars: Vars,
  vars_files: StringList,
  become: Type.Boolean(),
  become_user: Type.String(),
  gather_facts: Type.Boolean(),
  serial: Type.Union([Batch, Type.Array(Batch, { minItems: 1 })]),
  max_fail_percentage: Type.Number({ minimum: 0, maximum: 100 }),
  any_errors_fatal: Type.Boolean(),
  force_handlers: Type.Boolean(),
  tags: StringList,
  roles: Type.Array(Type.Union([Type.String(), Type.Object({ role: Type.String() }, { additionalProperties: true })])),
  pre_tasks: Type.Array(Type.Unknown()),
  tasks: Type.Array(Type.Unknown()),
  post_tasks: Type.Array(Type.Unknown()),
  handlers: Type.Array(Type.Unknown()),
  import_playbook: Type.String(),
};

/** Ansible keywords Rosey does not do (yet): named in the error instead of "unknown module". */
export const UNSUPPORTED_KEYWORDS: Record<string, string> = {
  async: 'async tasks are not supported',
  poll: 'async tasks are not supported',
  with_dict: 'use loop: "{{ dict | dict2items }}" style data as a list instead',
  environment: 'set variables in the command itself (env X=1 cmd) instead',
  strategy: 'only the linear strategy is supported',
};

/** Every keyword is optional; which are needed together is checked by the loader. */
export function optional(keywords: Record<string, TSchema>): Record<string, TOptional<TSchema>> {
  return Object.fromEntries(Object.entries(keywords).map(([k, v]) => [k, Type.Optional(v)]));
}

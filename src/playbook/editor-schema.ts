import type { TSchema } from '@sinclair/typebox';
import type { AnyModule } from '../modules/types.js';
import { loadTimeSchema } from './args.js';
import { PLAY_KEYWORDS, TASK_KEYWORDS } from './keywords.js';

/**
 * The JSON schemas of playbooks and task files that editors load through
 * yaml-language-server (`# yaml-language-server: $schema=...`). Built from
 * the same TypeBox objects the loader validates with: the play and task
 * keyword tables and each module's load-time argument schema (a
 * `{{ template }}` string is allowed wherever the loader allows one).
 * scripts/gen-schemas.ts writes them to schemas/; a test keeps the committed
 * copies equal to what this produces.
 */

export type JsonSchema = Record<string, unknown>;

/** A plain JSON copy: TypeBox's symbol keys dropped. */
export function plain(schema: unknown): JsonSchema {
  return JSON.parse(JSON.stringify(schema)) as JsonSchema;
}

const TASK_LIST = { type: 'array', items: { $ref: '#/definitions/task' } };

/** Keywords whose TypeBox type is "a list of anything" because the loader parses them itself: here, lists of tasks. */
const TASK_LIST_KEYWORDS = ['block', 'rescue', 'always'];
const PLAY_TASK_LISTS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'];
/** Keywords that make a task without a module (src/playbook/task.ts, parseSpecial). */
const SPECIAL = ['import_tasks', 'include_tasks', 'import_role', 'include_role', 'meta'];

/** A module's arguments as the loader takes them: a mapping (aliases included) or the key=value / free-form string. */
function moduleArgs(m: AnyModule): JsonSchema {
  const args = plain(loadTimeSchema(m.args as TSchema));
  const props = args.properties as Record<string, JsonSchema> | undefined;
  const aliases = Object.entries(m.argAliases ?? {});
  if (props) {
    for (const [alias, target] of aliases) {
      if (props[target]) props[alias] = { ...props[target], description: `Alias of ${target}.` };
    }
  }
  // a required argument is also given by any of its aliases (`file: {dest: ...}` names path)
  const required = (args.required as string[] | undefined) ?? [];
  const aliased = required.filter((r) => aliases.some(([, t]) => t === r));
  if (aliased.length) {
    args.required = required.filter((r) => !aliased.includes(r));
    args.allOf = aliased.map((r) => ({ anyOf: [r, ...aliases.filter(([, t]) => t === r).map(([a]) => a)].map((n) => ({ required: [n] })) }));
  }
  return { anyOf: [args, { type: 'string', description: m.freeForm ? `${m.freeForm.arg} (free form), or key=value words` : 'key=value words' }] };
}

function sortedModules(modules: readonly AnyModule[]): AnyModule[] {
  return [...modules].sort((a, b) => a.name.localeCompare(b.name));
}

/** Definitions shared by the playbook and task file schemas: one task, and each module's arguments. */
function taskDefinitions(modules: readonly AnyModule[]): Record<string, JsonSchema> {
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(TASK_KEYWORDS)) properties[k] = TASK_LIST_KEYWORDS.includes(k) ? TASK_LIST : plain(v);
  const definitions: Record<string, JsonSchema> = {};
  for (const m of sortedModules(modules)) {
    definitions[`module.${m.name}`] = moduleArgs(m);
    const ref = { $ref: `#/definitions/module.${m.name}`, description: m.description };
    for (const name of [m.name, ...(m.moduleAliases ?? [])]) {
      properties[name] = ref;
      properties[`ansible.builtin.${name}`] = ref;
      properties[`ansible.legacy.${name}`] = ref;
    }
  }
  // as the loader: a task names a module, or is a block, an import or a meta task
  const actions = ['block', ...SPECIAL, ...Object.keys(properties).filter((k) => !(k in TASK_KEYWORDS))];
  definitions.task = {
    type: 'object',
    description: 'A task (one module), a block (block/rescue/always), or import_tasks/include_tasks/import_role/include_role.',
    properties,
    additionalProperties: false,
    anyOf: actions.map((k) => ({ required: [k] })),
  };
  return definitions;
}

function header(id: string, title: string, description: string): JsonSchema {
  return { $schema: 'http://json-schema.org/draft-07/schema#', $id: `rosey/${id}`, title, description };
}

/** roles/<role>/tasks/*.yml, roles/<role>/handlers/main.yml and files named by import_tasks. */
export function tasksSchema(modules: readonly AnyModule[]): JsonSchema {
  return {
    ...header('tasks.schema.json', 'Rosey task file', 'A list of tasks: a role\'s tasks/ or handlers/ file, or a file named by import_tasks (generated from src/playbook and src/modules; do not edit).'),
    ...TASK_LIST,
    definitions: taskDefinitions(modules),
  };
}

/** playbooks/*.yml: a list of plays (or import_playbook entries). */
export function playbookSchema(modules: readonly AnyModule[]): JsonSchema {
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(PLAY_KEYWORDS)) properties[k] = PLAY_TASK_LISTS.includes(k) ? TASK_LIST : plain(v);
  return {
    ...header('playbook.schema.json', 'Rosey playbook', 'A list of plays (generated from src/playbook and src/modules; do not edit).'),
    type: 'array',
    items: { $ref: '#/definitions/play' },
    definitions: {
      play: {
        type: 'object',
        description: 'A play: hosts, and the roles and tasks to run on them; or `import_playbook: file`.',
        properties,
        additionalProperties: false,
        anyOf: [{ required: ['hosts'] }, { required: ['import_playbook'] }],
      },
      ...taskDefinitions(modules),
    },
  };
}

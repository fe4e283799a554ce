import { INVENTORY_SCHEMA } from '../src/inventory/schema.js';
import { moduleDocs, moduleSchema } from '../src/modules/docs.js';
import { allModules } from '../src/modules/registry.js';
import { playbookSchema, plain, tasksSchema, type JsonSchema } from '../src/playbook/editor-schema.js';

/**
 * Every file generated from the engine's schemas, by path relative to the
 * repository: `npm run schemas` writes them, test/unit/schemas/ fails while
 * a committed copy differs.
 */
const json = (schema: JsonSchema): string => JSON.stringify(schema, null, 2) + '\n';

function inventorySchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'rosey/inventory.schema.json',
    title: 'Rosey inventory hosts file',
    ...plain(INVENTORY_SCHEMA),
  };
}

export function generatedFiles(): Record<string, string> {
  const modules = allModules();
  return {
    'docs/modules.md': moduleDocs(modules),
    'schemas/modules.schema.json': json(moduleSchema(modules)),
    'schemas/playbook.schema.json': json(playbookSchema(modules)),
    'schemas/tasks.schema.json': json(tasksSchema(modules)),
    'schemas/inventory.schema.json': json(inventorySchema()),
  };
}

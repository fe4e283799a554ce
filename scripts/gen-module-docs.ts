/**
 * Writes docs/modules.md and schemas/modules.schema.json from the modules'
 * argument schemas. Run after changing a module's arguments:
 *   npx tsx scripts/gen-module-docs.ts
 * test/unit/modules/docs.test.ts fails while the committed files are stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { allModules } from '../src/modules/registry.js';
import { moduleDocs, moduleSchema } from '../src/modules/docs.js';

const root = resolve(import.meta.dirname, '..');
const targets: [string, string][] = [
  ['docs/modules.md', moduleDocs(allModules())],
  ['schemas/modules.schema.json', JSON.stringify(moduleSchema(allModules()), null, 2) + '\n'],
];
for (const [rel, text] of targets) {
  const path = resolve(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${rel}`);
}

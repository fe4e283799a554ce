/**
 * Writes the published JSON schemas (schemas/*.json: playbooks, task files,
 * inventories, module arguments) and docs/modules.md, all from the schemas
 * the engine validates with. Run after changing a keyword or a module's
 * arguments:  npm run schemas
 * test/unit/schemas/generated.test.ts fails while a committed file is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generatedFiles } from './generated-files.js';

const root = resolve(import.meta.dirname, '..');
for (const [rel, text] of Object.entries(generatedFiles())) {
  const path = resolve(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${rel}`);
}

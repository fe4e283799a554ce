// Regenerate bot/config/schema.json: node --import tsx bot/scripts/gen-schema.ts
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/json-schema.js';

const out = new URL('../config/schema.json', import.meta.url);
writeFileSync(out, configJsonSchema());
process.stdout.write(`wrote ${out.pathname}\n`);

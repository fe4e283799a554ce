import { ConfigSchema } from './schema.js';

/** The published JSON Schema of the config (bot/config/schema.json), from the TypeBox definition. */
export function configJsonSchema(): string {
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...ConfigSchema }, null, 2) + '\n';
}

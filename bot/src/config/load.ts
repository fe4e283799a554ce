import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { ConfigSchema, type BotConfig } from './schema.js';

/** A config the bot refuses to start with; `problems` names every bad field. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(`invalid config ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: false });
const validate = ajv.compile(ConfigSchema);

/** Parse, fill defaults and validate a config; throws ConfigError listing every problem. */
export function parseConfig(text: string, file = '<config>'): BotConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(file, ['the config must be a JSON object']);
  }
  const data = structuredClone(raw);
  if (!validate(data)) throw new ConfigError(file, describeErrors(validate.errors ?? []));
  const rules = checkRules(data as BotConfig);
  if (rules.length > 0) throw new ConfigError(file, rules);
  const { $schema: _ignored, ...config } = data as BotConfig & { $schema?: string };
  return config;
}

export function loadConfig(file: string): BotConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the file: ${(err as Error).message}`]);
  }
  return parseConfig(text, file);
}

/** Rules across fields, checked once each field is valid on its own. */
function checkRules(config: BotConfig): string[] {
  const problems: string[] = [];
  const r = config.reconnect;
  if (r.max_delay < r.initial_delay) {
    problems.push(`reconnect.max_delay is ${r.max_delay}: must be >= reconnect.initial_delay (${r.initial_delay})`);
  }
  return problems;
}

function fieldName(err: ErrorObject): string {
  const path = err.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (err.keyword === 'required') {
    const missing = (err.params as { missingProperty: string }).missingProperty;
    return path ? `${path}.${missing}` : missing;
  }
  if (err.keyword === 'additionalProperties') {
    const extra = (err.params as { additionalProperty: string }).additionalProperty;
    return path ? `${path}.${extra}` : extra;
  }
  return path || '(top level)';
}

function rangeOf(schema: Record<string, unknown>): string {
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  const kind = schema.type === 'integer' ? 'an integer' : 'a number';
  const unit = typeof schema.description === 'string' && schema.description.endsWith('(seconds)') ? ' seconds' : '';
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}${unit}`;
  if (min !== undefined) return `${kind} >= ${min}${unit}`;
  return `${kind} <= ${max}${unit}`;
}

function describeError(err: ErrorObject): string {
  const field = fieldName(err);
  const value = JSON.stringify(err.data);
  const schema = (err.parentSchema ?? {}) as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return `${field} is missing: it is required`;
    case 'additionalProperties':
      return `${field} is not a known field`;
    case 'minimum':
    case 'maximum':
      return `${field} is ${value}: allowed range is ${rangeOf(schema)}`;
    case 'type':
      return `${field} is ${value}: must be ${err.params.type === 'integer' ? 'an integer' : `a ${String(err.params.type)}`}${
        typeof schema.minimum === 'number' ? ` (allowed range: ${rangeOf(schema)})` : ''
      }`;
    case 'pattern':
      return `${field} is ${value}: must be ${String(schema.description ?? `matching ${String(schema.pattern)}`)}`;
    default:
      return `${field} is ${value}: ${err.message ?? 'invalid'}`;
  }
}

function describeErrors(errors: ErrorObject[]): string[] {
  // A union (log_level) reports one error per branch: say it once, listing the choices.
  const out = new Set<string>();
  for (const err of errors) {
    if (err.keyword === 'const') continue;
    if (err.keyword === 'anyOf') {
      const choices = ((err.schema as { const: unknown }[]) ?? []).map((s) => JSON.stringify(s.const));
      out.add(`${fieldName(err)} is ${JSON.stringify(err.data)}: must be one of ${choices.join(', ')}`);
      continue;
    }
    out.add(describeError(err));
  }
  return [...out];
}

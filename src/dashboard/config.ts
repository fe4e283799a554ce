import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { UserError, type Diagnostic } from '../errors/diagnostic.js';
import { compileParser } from './validate.js';

const BotEntry = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Object({ name: Type.Optional(Type.String({ minLength: 1 })), url: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
]);

/** The config file as written (snake_case, JSON). */
export const RawConfigSchema = Type.Object(
  {
    /** environment name → its bots' health endpoints ("http://10.0.0.5:8000/api/health") */
    environments: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Array(BotEntry))),
    public_reads: Type.Optional(Type.Boolean()),
    poll_interval_seconds: Type.Optional(Type.Number({ minimum: 1 })),
    poll_timeout_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 60 })),
  },
  { additionalProperties: false },
);
export type RawConfig = Static<typeof RawConfigSchema>;

export interface BotEndpoint {
  /** shown on the card: the configured name, else host:port */
  name: string;
  url: string;
}

/** The config the dashboard runs with, defaults applied. */
export interface DashboardConfig {
  environments: { name: string; bots: BotEndpoint[] }[];
  /** false: every read (API, /metrics) needs the write token too */
  publicReads: boolean;
  pollIntervalMs: number;
  pollTimeoutMs: number;
}

export const DEFAULT_CONFIG: DashboardConfig = { environments: [], publicReads: true, pollIntervalMs: 15_000, pollTimeoutMs: 3_000 };

const parseRaw = compileParser(RawConfigSchema);

/** Raw → normalized, collecting every problem (schema errors, then bad URLs). */
export function parseConfig(raw: unknown, file: string): DashboardConfig {
  const parsed = parseRaw(raw);
  const source = { file, line: 1, column: 1 };
  if (!parsed.ok) {
    throw new UserError(parsed.errors.map((e): Diagnostic => ({ severity: 'error', summary: `${e.field} ${e.message}`, source })));
  }
  const problems: Diagnostic[] = [];
  const environments = Object.entries(parsed.value.environments ?? {}).map(([name, entries]) => ({
    name,
    bots: entries.map((entry, i): BotEndpoint => {
      const url = typeof entry === 'string' ? entry : entry.url;
      let host = url;
      try {
        const u = new URL(url);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
        host = u.host;
      } catch {
        problems.push({ severity: 'error', summary: `/environments/${name}/${i} is not an http(s) URL: ${url}`, source });
      }
      return { name: typeof entry === 'string' ? host : (entry.name ?? host), url };
    }),
  }));
  if (problems.length > 0) throw new UserError(problems);
  const v = parsed.value;
  return {
    environments,
    publicReads: v.public_reads ?? DEFAULT_CONFIG.publicReads,
    pollIntervalMs: (v.poll_interval_seconds ?? DEFAULT_CONFIG.pollIntervalMs / 1000) * 1000,
    pollTimeoutMs: (v.poll_timeout_seconds ?? DEFAULT_CONFIG.pollTimeoutMs / 1000) * 1000,
  };
}

export function loadConfig(file: string): DashboardConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError({ severity: 'error', summary: `cannot read the dashboard config: ${(err as Error).message}`, source: { file, line: 1, column: 1 } });
  }
  return parseConfig(raw, file);
}

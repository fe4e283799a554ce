import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../src/config/load.js';
import { configJsonSchema } from '../src/config/json-schema.js';
import { readSecrets } from '../src/config/secrets.js';

const minimal = { server: 'https://cytu.be', channel: 'rosey', username: 'Rosey', password_env: 'ROSEY_BOT_PASSWORD' };

function problems(config: unknown): string[] {
  try {
    parseConfig(JSON.stringify(config), 'x.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('config was accepted');
}

describe('bot config', () => {
  it('fills defaults: timeout 3 seconds, prefix !, health on 127.0.0.1:8000', () => {
    const c = parseConfig(JSON.stringify(minimal));
    expect(c.timeout).toBe(3);
    expect(c.command_prefix).toBe('!');
    expect(c.health).toEqual({ host: '127.0.0.1', port: 8000 });
    expect(c.features).toEqual({ echo: false, markov: true, logging: false });
  });

  it('rejects timeout 0.1 naming the field, the value and the allowed range', () => {
    expect(problems({ ...minimal, timeout: 0.1 })).toEqual(['timeout is 0.1: allowed range is a number from 1 to 300 seconds']);
  });

  it('reports every bad field at once', () => {
    const p = problems({ ...minimal, channel: 'bad name!', timeout: 'soon', health: { port: 70000 }, colour: 'red' });
    expect(p).toHaveLength(4);
    expect(p.join('\n')).toMatch(/channel is "bad name!"/);
    expect(p.join('\n')).toMatch(/timeout is "soon": must be a number/);
    expect(p.join('\n')).toMatch(/health\.port is 70000: allowed range is an integer from 0 to 65535/);
    expect(p.join('\n')).toMatch(/colour is not a known field/);
  });

  it('names a missing required field', () => {
    const { password_env: _p, ...rest } = minimal;
    expect(problems(rest)).toEqual(['password_env is missing: it is required']);
  });

  it('checks rules across fields', () => {
    expect(problems({ ...minimal, reconnect: { initial_delay: 10, max_delay: 5 } })).toEqual([
      'reconnect.max_delay is 5: must be >= reconnect.initial_delay (10)',
    ]);
  });

  it('says when the file is not JSON', () => {
    expect(() => parseConfig('{ nope', 'f.json')).toThrow(/invalid config f\.json:\n {2}- not valid JSON/);
  });

  it('reads the password from the environment variable the config names, never the file', () => {
    const c = parseConfig(JSON.stringify(minimal));
    const secrets = readSecrets(c, { ROSEY_BOT_PASSWORD: 'hunter2' });
    expect(secrets.password.reveal()).toBe('hunter2');
    expect(JSON.stringify(secrets)).not.toContain('hunter2');
    expect(String(secrets.password)).toBe('********');
    expect(() => readSecrets(c, {})).toThrow(/password_env names the environment variable ROSEY_BOT_PASSWORD, which is not set/);
  });

  it('ships valid example configs: test on port 8001, prod on port 8000', () => {
    expect(loadConfig('bot/config/test.json').health.port).toBe(8001);
    expect(loadConfig('bot/config/prod.json').health.port).toBe(8000);
  });

  it('publishes bot/config/schema.json generated from the same definition', () => {
    // Regenerate with: node --import tsx bot/scripts/gen-schema.ts
    expect(readFileSync('bot/config/schema.json', 'utf8')).toBe(configJsonSchema());
  });
});

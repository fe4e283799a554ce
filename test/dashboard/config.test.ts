import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors/diagnostic.js';
import { parseConfig } from '../../src/dashboard/config.js';
import { percentile } from '../../src/dashboard/stats.js';

describe('dashboard config', () => {
  it('normalizes environments, names bots by host:port unless named, and applies defaults', () => {
    const config = parseConfig(
      { environments: { prod: ['http://10.0.0.5:8000/api/health', { name: 'bot-2', url: 'http://10.0.0.6:8000/api/health' }] }, poll_interval_seconds: 30 },
      'dashboard.json',
    );
    expect(config).toEqual({
      environments: [{ name: 'prod', bots: [{ name: '10.0.0.5:8000', url: 'http://10.0.0.5:8000/api/health' }, { name: 'bot-2', url: 'http://10.0.0.6:8000/api/health' }] }],
      publicReads: true,
      pollIntervalMs: 30_000,
      pollTimeoutMs: 3_000,
    });
  });

  it('reports every mistake at once, naming the file and the field', () => {
    let error: unknown;
    try {
      parseConfig({ public_reads: 'yes', poll_interval_seconds: 0, extra: 1 }, 'dashboard.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const summaries = (error as UserError).diagnostics.map((d) => d.summary);
    expect(summaries).toEqual(expect.arrayContaining(['/public_reads must be boolean', '/poll_interval_seconds must be >= 1', '/ must NOT have additional properties']));
    expect((error as UserError).diagnostics[0]?.source?.file).toBe('dashboard.json');
  });

  it('refuses a bot URL that is not http(s)', () => {
    expect(() => parseConfig({ environments: { test: ['ftp://bot/api/health'] } }, 'c.json')).toThrow(/environments\/test\/0 is not an http\(s\) URL/);
  });
});

describe('percentile (nearest rank)', () => {
  it('picks a sample, never interpolates', () => {
    expect(percentile([], 0.95)).toBeNull();
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
  });
});

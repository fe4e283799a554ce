import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseShard, shardHosts } from '../../../src/cli/shard.js';
import { UserError } from '../../../src/errors/diagnostic.js';

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'), 'bin', 'rosey-apply.cjs');

describe('--shard I/N', () => {
  const fleet = Array.from({ length: 11 }, (_, i) => `web${String(i + 1).padStart(2, '0')}`);

  it('covers every host exactly once, in parts that differ by at most one host', () => {
    const parts = [1, 2, 3, 4].map((index) => shardHosts(fleet, { index, count: 4 }));
    expect(parts.flat().sort()).toEqual([...fleet].sort());
    const sizes = parts.map((p) => p.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('depends on the names only, not on their order', () => {
    const shuffled = [...fleet].reverse();
    expect(shardHosts(shuffled, { index: 2, count: 3 })).toEqual(shardHosts(fleet, { index: 2, count: 3 }));
  });

  it('refuses what is not I/N with 1 <= I <= N', () => {
    for (const bad of ['0/3', '4/3', '1/0', '2', 'a/b', '1/2/3']) expect(() => parseShard(bad), bad).toThrow(UserError);
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
  });

  it('narrows every play to the shard (--list-hosts contacts nothing)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-shard-'));
    const files: Record<string, string> = {
      'inventory/hosts.yml': 'all:\n  vars:\n    ansible_host: 192.0.2.1\n  children:\n    web:\n      hosts: { w1: {}, w2: {}, w3: {} }\n    db:\n      hosts: { d1: {} }\n',
      'site.yml': '- name: web tier\n  hosts: web\n  tasks: []\n- name: databases\n  hosts: db\n  tasks: []\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    const list = (shard: string) => spawnSync(process.execPath, [BIN, 'site.yml', '-i', 'inventory', '--list-hosts', '--shard', shard], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    // sorted d1 w1 w2 w3: shard 1/2 gets d1 w2, shard 2/2 gets w1 w3
    const one = list('1/2');
    expect(one.status).toBe(0);
    expect(one.stdout).toMatch(/play: web tier\n {2}hosts \(1\):\n {4}w2\n/);
    expect(one.stdout).toMatch(/play: databases\n {2}hosts \(1\):\n {4}d1\n/);
    const two = list('2/2');
    expect(two.stdout).toMatch(/play: web tier\n {2}hosts \(2\):\n {4}w1\n {4}w3\n/);
    expect(two.stdout).toMatch(/play: databases\n {2}hosts \(0\):\n/);
    const bad = list('3/2');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--shard "3/2"');
  });
});

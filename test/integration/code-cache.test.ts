import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { header, install } from '../unit/cli/install-copy.js';
import { testbedInventory } from './harness.js';

/**
 * The build leaves "warm-up" code caches (from a syntax check). The first
 * run whose tasks ran on hosts over SSH replaces the engine's and the SSH
 * client's with caches that hold what such a run compiles, and the next run
 * (as many task results) keeps them.
 */
describe('code caches and a run over SSH', () => {
  it("replace the build's warm-up caches of the engine and of the SSH client, once", () => {
    const { dir, bin, cache } = install(['vendor-node-ssh.cjs']);
    const vendorCache = join(dir, 'dist', 'cli', 'vendor-node-ssh.cjs.v8cache');
    writeFileSync(join(dir, 'hosts.yml'), testbedInventory());
    writeFileSync(join(dir, 'one.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - {name: one, command: "true"}\n');
    const run = (extra: string[], env: Record<string, string> = {}): void => {
      const r = spawnSync(process.execPath, [bin, join(dir, 'one.yml'), '-i', join(dir, 'hosts.yml'), ...extra], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, ROSEY_JOURNAL_DIR: join(dir, 'journal'), ...env },
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
    };
    run(['--syntax-check'], { ROSEY_WARM_CODE_CACHE: '1' });
    expect(header(cache)).toMatch(/ warm-up$/);
    expect(header(vendorCache)).toMatch(/ warm-up$/);
    const warm = { engine: statSync(cache).size, ssh: statSync(vendorCache).size };

    run([]);
    // one task on each host
    const results = `tasks=${testbedInventory().match(/ansible_host:/g)!.length}`;
    expect(header(cache)).toMatch(new RegExp(` ${results}$`));
    expect(header(vendorCache)).toMatch(new RegExp(` ${results}$`));
    // each holds more than the top level and the check: the handshake, the runner, the modules
    expect(statSync(cache).size).toBeGreaterThan(warm.engine);
    expect(statSync(vendorCache).size).toBeGreaterThan(warm.ssh);

    const written = { engine: statSync(cache).mtimeMs, ssh: statSync(vendorCache).mtimeMs };
    run([]);
    expect({ engine: statSync(cache).mtimeMs, ssh: statSync(vendorCache).mtimeMs }).toEqual(written);
  });
});

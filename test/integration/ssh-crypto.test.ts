import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recap, rosey, workspace } from './harness.js';
import { hosts } from './testbed.js';

/**
 * The SSH bundle's key exchange and host key check take keys as raw bytes
 * (JWK), never through DER or PEM, which OpenSSL 3 is slow to encode and
 * decode; and its packets' random padding comes from a pool, not a call
 * into OpenSSL per packet (scripts/build-cli.mjs, ssh2Crypto). Counted in
 * a real run over SSH by a spy preloaded into the built CLI.
 */
describe('the SSH bundle on the controller', () => {
  it('checks host keys and exchanges keys without DER or PEM, and draws padding from a pool', async () => {
    // the workspace's own inventory/hosts.yml: every test host, host keys checked
    const dir = workspace({
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - {name: one, command: "true"}\n    - {name: two, command: "true"}\n',
    });
    const out = join(dir, 'counts.json');
    const spy = resolve(import.meta.dirname, 'ssh-crypto.spy.cjs');
    const r = await rosey(['site.yml', '-i', 'inventory/hosts.yml', '--json'], dir, { NODE_OPTIONS: `--require ${spy}`, ROSEY_CRYPTO_SPY_OUT: out });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const n = hosts().length;
    expect(Object.values(recap(r)).map((c) => c.ok)).toEqual(Array(n).fill(2));
    const counts = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>;
    expect(counts).toMatchObject({ derOrPemExports: 0, derOrPemImports: 0, verifyWithText: 0 });
    // a connection sends ~15 packets: one fill of the pool serves them all (the key exchange's cookie takes one call of its own)
    expect(counts.randomFills).toBeLessThanOrEqual(3 * n);
  }, 60_000);
});

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BUNDLE = join(ROOT, 'dist', 'cli', 'rosey-apply.cjs');

/** A private copy of the launcher and the bundle (and the named vendor bundles), laid out as in the checkout (bin/, dist/cli/, node_modules). */
function install(vendors: string[] = []): { dir: string; bin: string; bundle: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-cache-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'rosey-apply.cjs'), join(dir, 'bin', 'rosey-apply.cjs'));
  copyFileSync(BUNDLE, join(dir, 'dist', 'cli', 'rosey-apply.cjs'));
  for (const v of vendors) copyFileSync(join(ROOT, 'dist', 'cli', v), join(dir, 'dist', 'cli', v));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const bundle = join(dir, 'dist', 'cli', 'rosey-apply.cjs');
  return { dir, bin: join(dir, 'bin', 'rosey-apply.cjs'), bundle, cache: `${bundle}.v8cache` };
}

function docCopy(bin: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [bin, 'doc', 'copy'], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** `runs` against a closed port on this machine: loads the SSH client, is refused at once (exit 4). */
function sshRefused(dir: string, bin: string): { code: number | null; out: string } {
  writeFileSync(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h: {ansible_host: 127.0.0.1, ansible_port: 1}\n');
  const r = spawnSync(process.execPath, [bin, 'runs', '-i', join(dir, 'hosts.yml')], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

const header = (cache: string): string => readFileSync(cache).subarray(0, 200).toString('latin1').split('\n')[0]!;

describe('the CLI starts from a V8 code cache (bin/rosey-apply.cjs)', () => {
  it('the build leaves a cache keyed to the bundle it built', () => {
    const st = statSync(BUNDLE);
    expect(header(`${BUNDLE}.v8cache`)).toBe(`rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)}`);
  });

  it('writes a missing cache at the end of a run, then starts from it without rewriting it', () => {
    const { bin, bundle, cache } = install();
    expect(docCopy(bin).code).toBe(0);
    const st = statSync(bundle);
    expect(header(cache)).toBe(`rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)}`);
    const written = statSync(cache).mtimeMs;
    const again = docCopy(bin);
    expect(again.code).toBe(0);
    // V8 accepted it: a rejected cache would have been written again
    expect(statSync(cache).mtimeMs).toBe(written);
  });

  it('a rebuilt bundle (same length, new mtime) does not run from the old cache: the cache is replaced', () => {
    const { bin, bundle, cache } = install();
    expect(docCopy(bin).code).toBe(0);
    const before = header(cache);
    const later = new Date(statSync(bundle).mtimeMs + 5000);
    utimesSync(bundle, later, later);
    expect(docCopy(bin).code).toBe(0);
    expect(header(cache)).not.toBe(before);
    expect(header(cache)).toContain(String(Math.trunc(statSync(bundle).mtimeMs)));
  });

  it('a garbled cache is rejected by V8 and the run still works', () => {
    const { bin, bundle, cache } = install();
    const st = statSync(bundle);
    writeFileSync(cache, Buffer.concat([Buffer.from(`rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)}\n`, 'latin1'), Buffer.alloc(4096, 7)]));
    const r = docCopy(bin);
    expect(r.code).toBe(0);
    expect(r.out).toContain('dest');
    expect(statSync(cache).size).toBeGreaterThan(100_000);
  });

  it('a cache that cannot be written (here a folder in its place; root ignores modes) costs nothing but speed', () => {
    const { dir, bin, cache } = install();
    mkdirSync(cache);
    const r = docCopy(bin);
    expect(r.code).toBe(0);
    expect(r.out).toContain('dest');
    expect(readdirSync(join(dir, 'dist', 'cli')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('the build leaves the SSH client and the terminal view as bundles of their own, each with a warm-up cache', () => {
    for (const v of ['vendor-node-ssh.cjs', 'vendor-listr2.cjs']) {
      const st = statSync(join(ROOT, 'dist', 'cli', v));
      expect(header(join(ROOT, 'dist', 'cli', `${v}.v8cache`))).toMatch(new RegExp(`^rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)}( warm-up)?$`));
    }
  });

  it('the SSH client bundle gets its cache at the end of the first run that used it, and keeps it', () => {
    const { dir, bin } = install(['vendor-node-ssh.cjs']);
    const vendorCache = join(dir, 'dist', 'cli', 'vendor-node-ssh.cjs.v8cache');
    expect(existsSync(vendorCache)).toBe(false);
    const r = sshRefused(dir, bin);
    expect(r.code, r.out).toBe(4);
    expect(r.out).toContain('connection refused');
    const st = statSync(join(dir, 'dist', 'cli', 'vendor-node-ssh.cjs'));
    expect(header(vendorCache)).toBe(`rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)}`);
    const written = statSync(vendorCache).mtimeMs;
    expect(sshRefused(dir, bin).code).toBe(4);
    expect(statSync(vendorCache).mtimeMs).toBe(written);
  });

  it("a warm-up cache (the build's: top level only) is used, then replaced by the first run that needs the bundle", () => {
    const { dir, bin } = install(['vendor-node-ssh.cjs']);
    const vendorCache = join(dir, 'dist', 'cli', 'vendor-node-ssh.cjs.v8cache');
    const st = statSync(join(dir, 'dist', 'cli', 'vendor-node-ssh.cjs'));
    const key = `rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)}`;
    // what the build's warm-up leaves: ROSEY_WARM_CODE_CACHE loads the vendor bundles at the end of a check
    const warm = spawnSync(process.execPath, [bin, 'doc', 'copy'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ROSEY_WARM_CODE_CACHE: '1' } });
    expect(warm.status).toBe(0);
    expect(header(vendorCache)).toBe(`${key} warm-up`);
    const r = sshRefused(dir, bin);
    expect(r.code, r.out).toBe(4);
    expect(header(vendorCache)).toBe(key);
  });

  it('without the vendor bundles (a tree built before the split) the SSH client comes from node_modules', () => {
    const { dir, bin } = install();
    const r = sshRefused(dir, bin);
    expect(r.code, r.out).toBe(4);
    expect(r.out).toContain('connection refused');
    expect(readdirSync(join(dir, 'dist', 'cli')).filter((f) => f.startsWith('vendor-'))).toEqual([]);
  });
});

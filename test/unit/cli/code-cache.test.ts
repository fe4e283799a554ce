import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { header, install } from './install-copy.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BUNDLE = join(ROOT, 'dist', 'cli', 'rosey-apply.cjs');

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

/** A play of `tasks` commands on this machine over a local connection: each runs (exit 0), one task result each. */
function localTasks(dir: string, bin: string, tasks: number): { code: number | null; out: string } {
  writeFileSync(join(dir, 'local.yml'), 'all:\n  hosts:\n    here: {ansible_connection: local}\n');
  const list = Array.from({ length: tasks }, (_, i) => `    - {name: t${i}, command: "true"}\n`).join('');
  writeFileSync(join(dir, 'play.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n${list}`);
  const env = { ...process.env, ROSEY_JOURNAL_DIR: join(dir, 'journal') };
  const r = spawnSync(process.execPath, [bin, join(dir, 'play.yml'), '-i', join(dir, 'local.yml')], { encoding: 'utf8', timeout: 30_000, env });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('the CLI starts from a V8 code cache (bin/rosey-apply.cjs)', () => {
  it('the build leaves a cache keyed to the bundle it built', () => {
    const st = statSync(BUNDLE);
    // warm-up until a run whose tasks ran replaced it (another test's run may have)
    expect(header(`${BUNDLE}.v8cache`)).toMatch(new RegExp(`^rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)}( warm-up| tasks=[0-9]+)$`));
  });

  it('writes a missing cache at the end of a run (warm-up: no task ran), then starts from it without rewriting it', () => {
    const { bin, bundle, cache } = install();
    expect(docCopy(bin).code).toBe(0);
    const st = statSync(bundle);
    expect(header(cache)).toBe(`rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)} warm-up`);
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
      expect(header(join(ROOT, 'dist', 'cli', `${v}.v8cache`))).toMatch(new RegExp(`^rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)}( warm-up| tasks=[0-9]+)$`));
    }
  });

  it('the SSH client bundle gets a warm-up cache from a run that used it but ran no task, and keeps it', () => {
    const { dir, bin } = install(['vendor-node-ssh.cjs']);
    const vendorCache = join(dir, 'dist', 'cli', 'vendor-node-ssh.cjs.v8cache');
    expect(existsSync(vendorCache)).toBe(false);
    const r = sshRefused(dir, bin);
    expect(r.code, r.out).toBe(4);
    expect(r.out).toContain('connection refused');
    const st = statSync(join(dir, 'dist', 'cli', 'vendor-node-ssh.cjs'));
    expect(header(vendorCache)).toBe(`rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)} warm-up`);
    const written = statSync(vendorCache).mtimeMs;
    expect(sshRefused(dir, bin).code).toBe(4);
    expect(statSync(vendorCache).mtimeMs).toBe(written);
  });

  it("a warm-up cache (the build's) is replaced by the first run whose tasks ran, then only by a run with twice as many task results", () => {
    const { dir, bin, bundle, cache } = install(['vendor-node-ssh.cjs']);
    const vendorCache = join(dir, 'dist', 'cli', 'vendor-node-ssh.cjs.v8cache');
    const st = statSync(bundle);
    const key = `rosey-v8cache ${process.version} ${st.size} ${Math.trunc(st.mtimeMs)}`;
    // what the build's warm-up leaves: ROSEY_WARM_CODE_CACHE loads the vendor bundles at the end of a check
    const warm = spawnSync(process.execPath, [bin, 'doc', 'copy'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ROSEY_WARM_CODE_CACHE: '1' } });
    expect(warm.status).toBe(0);
    expect(header(cache)).toBe(`${key} warm-up`);
    expect(header(vendorCache)).toMatch(/ warm-up$/);
    const warmSize = statSync(cache).size;
    // a check runs no task: the warm-up caches stay
    expect(docCopy(bin).code).toBe(0);
    expect(header(cache)).toBe(`${key} warm-up`);

    const run = (tasks: number): { header: string; mtime: number } => {
      const r = localTasks(dir, bin, tasks);
      expect(r.code, r.out).toBe(0);
      return { header: header(cache), mtime: statSync(cache).mtimeMs };
    };
    const first = run(1);
    expect(first.header).toBe(`${key} tasks=1`);
    // it holds the functions the run compiled besides the check's
    expect(statSync(cache).size).toBeGreaterThan(warmSize);
    // the SSH client was not used: its warm-up cache waits for a run that uses it
    expect(header(vendorCache)).toMatch(/ warm-up$/);
    expect(run(1)).toEqual(first);
    const second = run(2);
    expect(second.header).toBe(`${key} tasks=2`);
    // 3 < 2 x 2: kept
    expect(run(3)).toEqual(second);
    expect(run(4).header).toBe(`${key} tasks=4`);
  });

  it('without the vendor bundles (a tree built before the split) the SSH client comes from node_modules', () => {
    const { dir, bin } = install();
    const r = sshRefused(dir, bin);
    expect(r.code, r.out).toBe(4);
    expect(r.out).toContain('connection refused');
    expect(readdirSync(join(dir, 'dist', 'cli')).filter((f) => f.startsWith('vendor-'))).toEqual([]);
  });
});

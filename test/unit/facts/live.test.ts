import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';
import { fileState, pathExists, type FileState, type PresentFile } from '../../../src/facts/file-state.js';
import { combineFacts, factBatch } from '../../../src/facts/combine.js';
import { hostFacts } from '../../../src/facts/host.js';
import { treeDrift } from '../../../src/facts/tree.js';
import { readFact } from '../../../src/facts/run.js';
import { FactError } from '../../../src/facts/parse.js';
import type { Fact } from '../../../src/facts/types.js';
import { failing, withPathSpies } from '../path-spy.js';

// The same facts as the golden tests, run for real through LocalConnection.
const conn = new LocalConnection(localSpec());
const read = <F>(fact: Fact<F>): Promise<F> => readFact(fact, (cmd) => conn.exec(cmd));
const sha = (b: string | Uint8Array): string => createHash('sha256').update(b).digest('hex');

const NAMES = ['plain', 'with space', "it's", 'dollar $HOME', 'new\nline', '-dash', 'back\\slash', '"dq"'];

describe('facts on real files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "rosey facts '$"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(NAMES)('reads a file named %j with its content', async (name) => {
    const text = `content of ${name}\n`;
    await writeFile(join(dir, name), text);
    await chmod(join(dir, name), 0o640);
    const st = await read(fileState(join(dir, name), { withContent: true }));
    expect(st).toMatchObject({ exists: true, type: 'file', mode: '0640', size: Buffer.byteLength(text), sha256: sha(text), content: text });
  });

  it('reports a missing path, a directory and links (dangling too)', async () => {
    await mkdir(join(dir, 'd'), { mode: 0o2750 });
    await chmod(join(dir, 'd'), 0o2750);
    await symlink('d', join(dir, 'to-d'));
    await symlink("nowhere 'x'\n$y", join(dir, 'dangling'));
    expect(await read(fileState(join(dir, 'nope')))).toEqual({ exists: false });
    expect(await read(fileState(join(dir, 'd')))).toMatchObject({ type: 'directory', mode: '2750' });
    expect(await read(fileState(join(dir, 'to-d')))).toMatchObject({ type: 'link', linkTarget: 'd' });
    const followed = fileState(join(dir, 'to-d'), { follow: true });
    const viaLink = await read(followed);
    expect(viaLink).toMatchObject({ type: 'directory', mode: '2750', viaLink: true });
    // what a followed link read depends on its target: no paths promised; the directory itself promises its path
    expect(followed.pathsOf?.(viaLink)).toBeUndefined();
    const plain = fileState(join(dir, 'd'), { follow: true });
    const d = await read(plain);
    expect(d).not.toHaveProperty('viaLink');
    expect(plain.pathsOf?.(d)).toEqual([join(dir, 'd')]);
    expect(await read(fileState(join(dir, 'dangling'), { follow: true }))).toMatchObject({ type: 'link', linkTarget: "nowhere 'x'\n$y" });
  });

  it('reads link targets of any text, in a name that looks like stat\'s own arrow', async () => {
    // stat's %N prints `"name" -> "target"`: quotes, arrows, escapes, digits after an escape and UTF-8 must all come back as written
    const targets = ['a\\b"c -> "d', '\u00015é', 'tab\there\r\n.\nsize=1', '\\303\\251 literally', '??=trigraph', ' '];
    for (const [i, target] of targets.entries()) {
      const name = join(dir, `l${i} -> "x"`);
      await symlink(target, name);
      expect(await read(fileState(name))).toMatchObject({ type: 'link', linkTarget: target });
    }
    // all in one batch, where a readlink or base64 first on PATH fails: the shared stat call reads every target, no process of its own per link
    await withPathSpies({ readlink: failing('readlink'), base64: failing('base64') }, async () => {
      const all = await read(factBatch(targets.map((_, i) => fileState(join(dir, `l${i} -> "x"`)))));
      expect(all.map((part) => (part?.value as FileState | undefined)?.exists && (part?.value as PresentFile).linkTarget)).toEqual(targets);
    });
  });

  it('carries any bytes, flags binary content, and skips big or unchanged content', async () => {
    const bin = Buffer.from([0, 1, 2, 255, 10, 13, 0]);
    await writeFile(join(dir, 'bin'), bin);
    const b = await read(fileState(join(dir, 'bin'), { withContent: true }));
    expect(b).toMatchObject({ sha256: sha(bin), binary: true });
    expect(b.exists && b.content).toBeUndefined();
    await writeFile(join(dir, 'big'), 'x'.repeat(2000));
    const big = await read(fileState(join(dir, 'big'), { withContent: true, maxContentBytes: 1000 }));
    expect(big.exists && big.content).toBeUndefined();
    await writeFile(join(dir, 'same'), 'same\n');
    const same = await read(fileState(join(dir, 'same'), { withContent: true, contentUnlessSha256: sha('same\n') }));
    expect(same.exists && [same.sha256, same.content]).toEqual([sha('same\n'), undefined]);
    const other = await read(fileState(join(dir, 'same'), { withContent: true, contentUnlessSha256: sha('other') }));
    expect(other.exists && other.content).toBe('same\n');
  });

  it('combines facts into one command with one parse', async () => {
    await writeFile(join(dir, 'c'), 'c\n');
    const f = combineFacts({ a: fileState(join(dir, 'c')), b: pathExists(join(dir, 'nope')), c: pathExists(join(dir, 'dangling')), h: hostFacts() });
    const got = await read(f);
    expect(got.a).toMatchObject({ type: 'file', sha256: sha('c\n') });
    expect([got.b, got.c]).toEqual([false, true]);
    expect(got.h.os).toBe('Linux');
  });

  it('batches facts with an exit status each: a part that fails or does not parse spoils only itself', async () => {
    await writeFile(join(dir, 'b1'), 'one');
    const broken: Fact<string> = { command: { text: 'echo partial; exit 3', display: 'exit 3' }, parse: (s) => s };
    const unparsable: Fact<string> = { command: { text: 'echo x', display: 'x' }, parse: () => { throw new FactError('no'); } };
    const parts = await read(factBatch([fileState(join(dir, 'b1'), { withContent: true }), broken, unparsable, pathExists(join(dir, 'nope'))]));
    expect(parts[0]?.value).toMatchObject({ type: 'file', sha256: sha('one') });
    expect([parts[1], parts[2]]).toEqual([undefined, undefined]);
    expect(parts[3]).toEqual({ value: false });
  });

  it('finds drift below a directory and none once fixed', async () => {
    await mkdir(join(dir, 't/u'), { recursive: true });
    await writeFile(join(dir, 't/u/f'), '');
    await symlink('f', join(dir, 't/u/l'));
    await chmod(join(dir, 't/u/f'), 0o644);
    expect(await read(treeDrift(join(dir, 't'), { mode: '0700' }))).toBe(true);
    await conn.exec({ text: `chmod -R 0700 '${join(dir, 't').replace(/'/g, `'\\''`)}'`, display: 'chmod' });
    expect(await read(treeDrift(join(dir, 't'), { mode: '0700' }))).toBe(false);
    expect(await read(treeDrift(join(dir, 'missing'), { mode: '0700' }))).toBe(false);
  });

  it('gathers host facts in one command', async () => {
    const h = await read(hostFacts());
    expect(h.hostname).not.toBe('');
    expect(h.os).toBe('Linux');
    expect(h.arch).toBe(process.arch === 'x64' ? 'x86_64' : h.arch);
    expect(h.cpus).toBeGreaterThan(0);
    expect(h.memory_mb).toBeGreaterThan(0);
    expect(h.distribution).not.toBe('');
  });

  it('turns a failed fact command into a FactError with its stderr', async () => {
    await expect(read({ command: { text: 'echo nope >&2; exit 3', display: '' }, parse: () => 1 })).rejects.toThrow(FactError);
    await expect(read({ command: { text: 'echo nope >&2; exit 3', display: '' }, parse: () => 1 })).rejects.toThrow(/nope/);
    expect(() => fileState('/x').parse('garbage')).toThrow(/did not report "exists"/);
  });
});

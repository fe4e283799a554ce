import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factBatch } from '../../../src/facts/combine.js';
import { fileState, type FileStateOptions } from '../../../src/facts/file-state.js';
import { fileStatesCmd, parseFileStates, type FileRead } from '../../../src/facts/file-states.js';
import { readFact } from '../../../src/facts/run.js';
import type { Fact } from '../../../src/facts/types.js';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';
import { withPathSpies } from '../path-spy.js';

// Many paths read in one command must read exactly as each path alone: the
// shared stat/sha256sum records go to the right path whatever the mix.
const conn = new LocalConnection(localSpec());
const read = <F>(fact: Fact<F>): Promise<F> => readFact(fact, (cmd) => conn.exec(cmd));
const sha = (b: string): string => createHash('sha256').update(b).digest('hex');

describe('file states read together', () => {
  let dir = '';
  const reads: FileRead[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "rosey states '$"));
    const names = ['plain', 'new\nline', 'back\\slash', '-dash', "it's $x"];
    for (const [i, n] of names.entries()) {
      await writeFile(join(dir, n), `file ${i}\n`.repeat(i + 1));
      await chmod(join(dir, n), 0o600 + i);
    }
    await mkdir(join(dir, 'd'));
    await symlink('plain', join(dir, 'to-plain'));
    await symlink('d', join(dir, 'to-d'));
    await symlink('nowhere', join(dir, 'dangling'));
    const with_ = (path: string, opts: FileStateOptions = {}): number => reads.push({ path: join(dir, path), opts });
    with_('plain', { withContent: true });
    with_('missing');
    with_('new\nline', { withContent: true, contentUnlessSha256: sha('file 1\nfile 1\n') });
    with_('back\\slash', { withContent: true, contentUnlessSha256: sha('other') });
    with_('d', { follow: true });
    with_('to-plain');
    with_('to-plain', { follow: true, withContent: true });
    with_('to-d', { follow: true });
    with_('dangling', { follow: true });
    with_('-dash', { withContent: true, maxContentBytes: 5 });
    with_("it's $x");
    with_('missing', { follow: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives each path what reading it alone gives', async () => {
    const alone = [];
    for (const r of reads) alone.push(await read(fileState(r.path, r.opts)));
    const together = await read({ command: fileStatesCmd(reads), parse: (s) => parseFileStates(s, reads.length) });
    expect(together).toEqual(alone);
    // and the mix is what it says: hashes, contents, links, followed links
    expect(alone[0]).toMatchObject({ type: 'file', mode: '0600', sha256: sha('file 0\n'), content: 'file 0\n' });
    expect(alone[1]).toEqual({ exists: false });
    expect(alone[2]).toMatchObject({ sha256: sha('file 1\nfile 1\n') });
    expect(alone[2]).not.toHaveProperty('content');
    expect(alone[3]).toMatchObject({ mode: '0602', content: 'file 2\n'.repeat(3) });
    expect(alone[5]).toMatchObject({ type: 'link', linkTarget: 'plain' });
    expect(alone[6]).toMatchObject({ type: 'file', viaLink: true, content: 'file 0\n' });
    expect(alone[7]).toMatchObject({ type: 'directory', viaLink: true });
    expect(alone[8]).toMatchObject({ type: 'link', linkTarget: 'nowhere' });
    expect(alone[9]).toMatchObject({ type: 'file', sha256: sha('file 3\n'.repeat(4)) });
    expect(alone[9]).not.toHaveProperty('content');
  });

  it('falls back to a call per path when a shared one fails, giving no path another one`s record', async () => {
    // /proc/self/mem is a regular file that -r calls readable and that no read succeeds on: the shared sha256sum fails
    const mixed: FileRead[] = [reads[0]!, { path: '/proc/self/mem', opts: {} }, reads[3]!];
    const [a, mem, b] = await read({ command: fileStatesCmd(mixed), parse: (s) => parseFileStates(s, mixed.length) });
    expect(a).toMatchObject({ sha256: sha('file 0\n') });
    expect(mem).toMatchObject({ exists: true, type: 'file', mode: '0600' });
    expect(b).toMatchObject({ sha256: sha('file 2\n'.repeat(3)) });
  });

  it('reads the files of a batch in one part, each fact getting its own', async () => {
    const facts = reads.slice(0, 4).map((r) => fileState(r.path, r.opts));
    const other: Fact<string> = { command: { text: 'echo hello', display: 'echo hello' }, parse: (s) => s.trim() };
    const batch = factBatch([facts[0]!, other, ...facts.slice(1)]);
    // one stat and one sha256sum for all four files, whatever their order among other facts
    expect(batch.command.text.match(/stat --printf/g)).toHaveLength(1 + facts.length);
    const got = await read(batch);
    expect(got[1]).toEqual({ value: 'hello' });
    for (const [i, f] of facts.entries()) expect(got[i === 0 ? 0 : i + 1]).toEqual({ value: await read(f) });
  });

  it('reads followed paths that are no links with the one `stat` call, and links with `stat -L`', async () => {
    // a stat first on PATH that logs how it was called, then runs the real one
    const stat = (dir: string, path: string): string => `#!/bin/sh\nif [ "$1" = -L ]; then echo follow >> '${dir}/log'; else echo plain >> '${dir}/log'; fi\nPATH=${path}\nexec stat "$@"\n`;
    await withPathSpies({ stat }, async (spy) => {
      const calls = async (picked: FileRead[]): Promise<{ got: unknown[]; calls: string[] }> => {
        writeFileSync(join(spy, 'log'), '');
        const got = await read({ command: fileStatesCmd(picked), parse: (out) => parseFileStates(out, picked.length) });
        return { got, calls: readFileSync(join(spy, 'log'), 'utf8').split('\n').filter(Boolean) };
      };
      const noLinks = [reads[0]!, reads[4]!, { path: reads[0]!.path, opts: { follow: true } }, reads[11]!];
      const plain = await calls(noLinks);
      expect(plain.calls).toEqual(['plain']);
      const alone = [];
      for (const r of noLinks) alone.push(await read(fileState(r.path, r.opts)));
      expect(plain.got).toEqual(alone);
      const links = await calls([reads[4]!, reads[6]!, reads[7]!, reads[8]!]);
      expect(links.calls).toEqual(['plain', 'follow']);
      expect(links.got).toMatchObject([{ type: 'directory' }, { type: 'file', viaLink: true }, { type: 'directory', viaLink: true }, { type: 'link', linkTarget: 'nowhere' }]);
      expect(links.got[0]).not.toHaveProperty('viaLink');
    });
  });

  it('spoils only the output that does not parse; the wrong count spoils all', () => {
    const one = 'exists=1\ntype=file\nmode=644\nowner=root\nuid=0\ngroup=root\ngid=0\nsize=1\n';
    expect(parseFileStates(`exists=0\n${one.replace('uid=0', 'uid=x')}`, 2)).toEqual([{ exists: false }, undefined]);
    expect(() => parseFileStates(one, 2)).toThrow(/expected 2 outputs, got 1/);
  });
});

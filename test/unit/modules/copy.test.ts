import { describe, expect, it } from 'vitest';
import { planFile, wantedFile } from '../../../src/modules/files/content.js';
import { copy } from '../../../src/modules/files/copy.js';
import { template } from '../../../src/modules/files/template.js';
import { wantedAttrs } from '../../../src/modules/files/attrs.js';
import type { WantedFile } from '../../../src/modules/files/content.js';
import { aDir, aFile, aLink, missing } from './builders.js';
import { applyAll, cleanup, newRunId, planTask, prepareCtx, tempDir } from './harness.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const want = (content: string, attrs: { mode?: string; owner?: string; group?: string } = {}, force = true): WantedFile =>
  wantedFile('/etc/app.conf', Buffer.from(content), { attrs: wantedAttrs(attrs), force });

describe('copy/template plan', () => {
  it('creates a missing file with the whole text as the diff', () => {
    const [c] = planFile(missing, want('a\nb\n', { mode: '0600' }));
    expect(c).toMatchObject({ action: 'create', content: { before: '', after: 'a\nb\n' }, attrs: { mode: [undefined, '0600'] } });
    expect(c!.data).toMatchObject({ kind: 'write', set: { mode: '0600' } });
  });

  it('plans nothing when sha256 and attributes match, whether or not content was fetched', () => {
    const same = aFile('a\n');
    expect(planFile(same, want('a\n'))).toEqual([]);
    expect(planFile({ ...same, content: undefined }, want('a\n'))).toEqual([]);
  });

  it('updates changed content with the exact before/after and keeps the old attributes', () => {
    const [c] = planFile(aFile('port 1\nname x\n', { mode: '0640', owner: 'app', uid: 1000 }), want('port 2\nname x\n'));
    expect(c).toMatchObject({ action: 'update', content: { before: 'port 1\nname x\n', after: 'port 2\nname x\n' } });
    expect(c!.attrs).toBeUndefined();
    expect(c!.data).toMatchObject({ kind: 'write', set: { mode: '0640', owner: 'app', group: 'root' } });
  });

  it('changes only attributes when only they differ (no content transfer)', () => {
    const [c] = planFile(aFile('a\n'), want('a\n', { owner: 'app', mode: '0600' }));
    expect(c).toMatchObject({ action: 'update', attrs: { mode: ['0644', '0600'], owner: ['root', 'app'] }, data: { kind: 'attrs' } });
    expect(c!.content).toBeUndefined();
  });

  it('has no text diff when the old file is binary or was too big to fetch', () => {
    const [c] = planFile(aFile('x', { content: undefined, binary: true, sha256: 'f'.repeat(64) }), want('a\n'));
    expect(c!.action).toBe('update');
    expect(c!.content).toBeUndefined();
  });

  it('replaces a link with a file, and refuses a directory', () => {
    expect(planFile(aLink('/x'), want('a'))[0]).toMatchObject({ action: 'update', attrs: { type: ['link', 'file'] }, content: { before: '', after: 'a' } });
    expect(() => planFile(aDir(), want('a'))).toThrow(/is a directory/);
  });

  it('force: false leaves different content alone but still fixes attributes', () => {
    expect(planFile(aFile('old'), want('new', {}, false))).toEqual([]);
    expect(planFile(aFile('old'), want('new', { mode: '0600' }, false))[0]!.data.kind).toBe('attrs');
  });

  it('copy resolves src under files/ and needs exactly one of src and content', async () => {
    const p = await copy.prepare!({ src: 'motd.txt', dest: '/etc/' }, prepareCtx());
    if (p.kind !== 'file') throw new Error('expected one file');
    expect(p.file.path).toBe('/etc/motd.txt');
    expect(Buffer.from(p.file.bytes).toString()).toBe('from the files folder\n');
    await expect(copy.prepare!({ dest: '/x' }, prepareCtx())).rejects.toThrow(/exactly one/);
    await expect(copy.prepare!({ dest: '/x', src: 'a', content: 'b' }, prepareCtx())).rejects.toThrow(/exactly one/);
  });

  it('template renders under templates/ with the task variables', async () => {
    const p = await template.prepare!({ src: 'app.conf.hbs', dest: '/etc/app.conf' }, prepareCtx({ port: 1, name: 'n' }));
    expect(Buffer.from(p.bytes).toString()).toBe('listen 1\nname n\n');
    await expect(template.prepare!({ src: 'app.conf.hbs', dest: '/x' }, prepareCtx({}))).rejects.toThrow(/port/);
  });
});

describe('copy apply', () => {
  it('keeps the old file when validate refuses the new content', async () => {
    const dir = await tempDir();
    const runId = newRunId();
    try {
      const dest = join(dir, 'sudoers');
      await writeFile(dest, 'good\n');
      const { changes } = await planTask(copy, { dest, content: 'bad\n', validate: 'grep -q good %s' });
      await expect(applyAll(copy, changes, runId)).rejects.toThrow(/validation of the new .* failed/);
      expect(await readFile(dest, 'utf8')).toBe('good\n');
      expect((await planTask(copy, { dest, content: 'bad\n' })).changes).toHaveLength(1);
    } finally {
      await cleanup(dir, runId);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { file } from '../../../src/modules/files/file.js';
import { ModuleFailure } from '../../../src/modules/types.js';
import { aDir, aFile, aLink, missing } from './builders.js';
import type { FileState } from '../../../src/facts/file-state.js';

const plan = (state: FileState, args: Parameters<typeof file.prepare & object>[0], drift = false) =>
  file.plan({ state, drift }, file.prepare!(args, undefined as never) as never);

describe('file plan', () => {
  it('creates a missing directory with its mode', () => {
    const [c, ...rest] = plan(missing, { path: '/srv/app', state: 'directory', mode: '0750' });
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ action: 'create', path: '/srv/app', attrs: { type: [undefined, 'directory'], mode: [undefined, '0750'] } });
  });

  it('plans nothing when the directory matches', () => {
    expect(plan(aDir({ mode: '0750' }), { path: '/srv/app', state: 'directory', mode: 750 })).toEqual([]);
  });

  it('plans only a mode change when only the mode differs', () => {
    const changes = plan(aFile('x'), { path: '/etc/x', mode: '0600' });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ action: 'update', attrs: { mode: ['0644', '0600'] }, data: { kind: 'attrs', set: { mode: '0600' } } });
    expect(changes[0]!.content).toBeUndefined();
  });

  it('resolves a symbolic mode against the current one', () => {
    expect(plan(aFile('x', { mode: '0644' }), { path: '/x', mode: 'u+x,g-r' })[0]!.attrs).toEqual({ mode: ['0644', '0704'] });
    expect(plan(aFile('x', { mode: '0704' }), { path: '/x', mode: 'u+x,g-r' })).toEqual([]);
  });

  it('plans an owner change, matching owners by name or uid', () => {
    expect(plan(aFile('x'), { path: '/x', owner: 'app', group: '0' })[0]!.attrs).toEqual({ owner: ['root', 'app'] });
    expect(plan(aFile('x', { owner: 'app', uid: 1000 }), { path: '/x', owner: '1000' })).toEqual([]);
  });

  it('removes an existing path with a diff of its text, and plans nothing when it is already absent', () => {
    expect(plan(missing, { path: '/x', state: 'absent' })).toEqual([]);
    const [c] = plan(aFile('old\n'), { path: '/x', state: 'absent' });
    expect(c).toMatchObject({ action: 'delete', path: '/x', content: { before: 'old\n', after: '' }, data: { kind: 'remove' } });
  });

  it('creates a link, retargets a wrong one and leaves a right one', () => {
    expect(plan(missing, { path: '/cur', src: '/r/2' })[0]).toMatchObject({ action: 'create', attrs: { target: [undefined, '/r/2'] } });
    const [re] = plan(aLink('/r/1'), { path: '/cur', state: 'link', src: '/r/2' });
    expect(re).toMatchObject({ action: 'update', summary: 'relink /cur: /r/1 → /r/2', attrs: { target: ['/r/1', '/r/2'] }, data: { kind: 'link', replace: true } });
    expect(plan(aLink('/r/2'), { path: '/cur', state: 'link', src: '/r/2' })).toEqual([]);
  });

  it('refuses to replace a file by a link without force, and a directory always', () => {
    expect(() => plan(aFile('x'), { path: '/cur', state: 'link', src: '/r' })).toThrow(/force: true/);
    expect(plan(aFile('x'), { path: '/cur', state: 'link', src: '/r', force: true })[0]!.attrs?.type).toEqual(['file', 'link']);
    expect(() => plan(aDir(), { path: '/cur', state: 'link', src: '/r', force: true })).toThrow(ModuleFailure);
  });

  it('fails for state=file on a missing path, and for a directory over a file', () => {
    expect(() => plan(missing, { path: '/x' })).toThrow(/does not exist/);
    expect(() => plan(aFile(''), { path: '/x', state: 'directory' })).toThrow(/not a directory/);
  });

  it('touch creates a missing file and never re-touches an existing one', () => {
    expect(plan(missing, { path: '/x', state: 'touch' })[0]).toMatchObject({ action: 'create', data: { kind: 'touch' } });
    expect(plan(aFile(''), { path: '/x', state: 'touch' })).toEqual([]);
  });

  it('recurse plans an update when something below drifts', () => {
    expect(plan(aDir({ mode: '0700' }), { path: '/d', state: 'directory', mode: '0700', recurse: true })).toEqual([]);
    const [c] = plan(aDir({ mode: '0700' }), { path: '/d', state: 'directory', mode: '0700', recurse: true }, true);
    expect(c).toMatchObject({ action: 'update', data: { kind: 'attrs', recurse: true, set: { mode: '0700' } } });
  });

  it('rejects contradictory arguments before touching the host', () => {
    expect(() => plan(missing, { path: '/x', state: 'link' })).toThrow(/needs "src"/);
    expect(() => plan(missing, { path: '/x', state: 'touch', recurse: true })).toThrow(/recurse/);
    expect(() => plan(missing, { path: '/x', mode: 999 })).toThrow(/not an octal mode/);
  });
});

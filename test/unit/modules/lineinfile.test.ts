import { describe, expect, it } from 'vitest';
import { lineinfile } from '../../../src/modules/files/lineinfile.js';
import { aFile, aLink, missing } from './builders.js';
import type { FileState } from '../../../src/facts/file-state.js';

type Args = Parameters<typeof lineinfile.prepare & object>[0];
const plan = (state: FileState, args: Omit<Args, 'path'>) => lineinfile.plan(state, lineinfile.prepare!({ path: '/f', ...args }, undefined as never) as never);
/** The text after the planned change (or unchanged). */
const after = (text: string, args: Omit<Args, 'path'>): string => plan(aFile(text), args)[0]?.content?.after ?? text;

describe('lineinfile plan', () => {
  it('replaces the last line the regexp matches', () => {
    expect(after('a=1\nb=2\na=3\n', { regexp: '^a=', line: 'a=9' })).toBe('a=1\nb=2\na=9\n');
    expect(after('a=1\nb=2\na=3\n', { regexp: '^a=', line: 'a=9', firstmatch: true })).toBe('a=9\nb=2\na=3\n');
  });

  it('gives the exact before/after for the diff', () => {
    const [c] = plan(aFile('Port 22\nPermitRootLogin yes\n'), { regexp: '^PermitRootLogin', line: 'PermitRootLogin no' });
    expect(c).toMatchObject({ action: 'update', content: { before: 'Port 22\nPermitRootLogin yes\n', after: 'Port 22\nPermitRootLogin no\n' } });
  });

  it('plans nothing when the line is already there (matched or not by regexp)', () => {
    expect(plan(aFile('a=9\n'), { regexp: '^a=', line: 'a=9' })).toEqual([]);
    expect(plan(aFile('x\ny\n'), { line: 'y' })).toEqual([]);
    expect(plan(aFile('y\n'), { regexp: '^nomatch', line: 'y' })).toEqual([]);
  });

  it('appends at EOF by default, adding the missing final newline', () => {
    expect(after('a\nb', { line: 'c' })).toBe('a\nb\nc\n');
    expect(after('', { line: 'c' })).toBe('c\n');
  });

  it('inserts after / before a pattern, or at BOF, or at EOF when the pattern matches nothing', () => {
    expect(after('[a]\nx\n[b]\ny\n', { line: 'new', insertafter: '^\\[a\\]' })).toBe('[a]\nnew\nx\n[b]\ny\n');
    expect(after('[a]\nx\n[b]\ny\n', { line: 'new', insertbefore: '^\\[b\\]' })).toBe('[a]\nx\nnew\n[b]\ny\n');
    expect(after('a\n', { line: 'new', insertbefore: 'BOF' })).toBe('new\na\n');
    expect(after('a\n', { line: 'new', insertafter: 'nothing' })).toBe('a\nnew\n');
  });

  it('removes every matching line, or every identical line, and nothing when none is there', () => {
    expect(after('a\nbad 1\nb\nbad 2\n', { regexp: '^bad', state: 'absent' })).toBe('a\nb\n');
    expect(after('a\nb\na\n', { line: 'a', state: 'absent' })).toBe('b\n');
    expect(plan(aFile('a\n'), { line: 'z', state: 'absent' })).toEqual([]);
    expect(plan(missing, { line: 'z', state: 'absent' })).toEqual([]);
  });

  it('backrefs fill groups and leave the file alone without a match', () => {
    expect(after('HOSTNAME=old\n', { regexp: '^(HOSTNAME=).*$', line: '\\1new', backrefs: true })).toBe('HOSTNAME=new\n');
    expect(after('x\n', { regexp: '^(?P<k>HOST)=', line: '\\g<k>=y', backrefs: true })).toBe('x\n');
  });

  it('needs create: true for a missing file, then creates it', () => {
    expect(() => plan(missing, { line: 'a' })).toThrow(/create: true/);
    expect(plan(missing, { line: 'a', create: true, mode: '0600' })[0]).toMatchObject({
      action: 'create',
      content: { before: '', after: 'a\n' },
      attrs: { mode: [undefined, '0600'] },
    });
  });

  it('refuses links and binary files, and changes only the mode when the line is there', () => {
    expect(() => plan(aLink('/t'), { line: 'a' })).toThrow(/link target/);
    expect(() => plan(aFile('', { content: undefined, binary: true }), { line: 'a' })).toThrow(/not a text file/);
    expect(plan(aFile('a\n'), { line: 'a', mode: '0600' })[0]).toMatchObject({ data: { kind: 'attrs' }, attrs: { mode: ['0644', '0600'] } });
  });

  it('rejects a bad regexp before contacting the host', () => {
    expect(() => plan(missing, { line: 'a', regexp: '(' })).toThrow(/not a valid regular expression/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileMemo } from '../../../src/transport/file-memo.js';

describe('a file turned into a value once while it stays the same', () => {
  it('reads and parses once, again after the file changed, and throws for a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-memo-'));
    const file = join(dir, 'known_hosts');
    writeFileSync(file, 'a\n');
    let made = 0;
    const lines = fileMemo((text, path) => {
      made++;
      return { path, lines: text.split('\n').filter(Boolean) };
    });
    const first = lines(file);
    expect(first).toEqual({ path: file, lines: ['a'] });
    expect(lines(file)).toBe(first);
    expect(made).toBe(1);
    writeFileSync(file, 'a\nb\n');
    expect(lines(file).lines).toEqual(['a', 'b']);
    expect(made).toBe(2);
    rmSync(file);
    expect(() => lines(file)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    rmSync(dir, { recursive: true, force: true });
  });
});

import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseMode, resolveMode } from '../../../src/modules/files/mode.js';

const octal = (v: string | number): string => resolveMode(parseMode(v), undefined, false);

describe('mode parsing', () => {
  it("reads '0644', '644', 0644 and 644 from YAML all as 0644", () => {
    const y = parseYaml("a: 0644\nb: 644\nc: '0644'\nd: '644'\ne: 01777\n") as Record<string, string | number>;
    expect(y.a).toBe(644); // YAML 1.2: a leading zero is not octal
    expect([y.a, y.b, y.c, y.d].map((v) => octal(v!))).toEqual(['0644', '0644', '0644', '0644']);
    expect(octal(y.e!)).toBe('1777');
    expect(octal('0o755')).toBe('0755');
  });

  it('refuses numbers that cannot be octal digits and garbage strings', () => {
    expect(() => parseMode(689)).toThrow(/not an octal mode/);
    expect(() => parseMode(12345)).toThrow(/not an octal mode/);
    expect(() => parseMode('rw-r--r--')).toThrow(/neither octal/);
  });

  it('applies symbolic modes as chmod does', () => {
    const sym = (s: string, cur: string, dir = false): string => resolveMode(parseMode(s), cur, dir);
    expect(sym('u+x', '0644')).toBe('0744');
    expect(sym('u=rw,g=r,o=', '0777')).toBe('0640');
    expect(sym('a-w', '0666')).toBe('0444');
    expect(sym('+x', '0600')).toBe('0711');
    expect(sym('a+X', '0644')).toBe('0644');
    expect(sym('a+X', '0644', true)).toBe('0755');
    expect(sym('a+X', '0744')).toBe('0755');
    expect(sym('g=u', '0640')).toBe('0660');
    expect(sym('u+s,g+s,+t', '0755')).toBe('7755');
    expect(sym('o-rwx', '0755')).toBe('0750');
  });

  it('starts a new path from 0644 (file) or 0755 (directory)', () => {
    expect(resolveMode(parseMode('g+w'), undefined, false)).toBe('0664');
    expect(resolveMode(parseMode('g+w'), undefined, true)).toBe('0775');
  });
});

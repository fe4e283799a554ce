import { describe, expect, it } from 'vitest';
import { keyLocOf, locOf, parseYaml } from '../../src/yaml/source.js';
import { UserError } from '../../src/errors/diagnostic.js';

describe('YAML with positions', () => {
  it('remembers the line and column of maps, members and keys', () => {
    const v = parseYaml('- name: one\n  copy:\n    dest: /etc/x\n- name: two\n', 'play.yml') as Array<Record<string, unknown>>;
    expect(locOf(v, 1)).toEqual({ file: 'play.yml', line: 4, column: 3 });
    const task = v[0]!;
    expect(keyLocOf(task, 'copy')).toEqual({ file: 'play.yml', line: 2, column: 3 });
    expect(locOf(task.copy, 'dest')).toEqual({ file: 'play.yml', line: 3, column: 11 });
  });

  it('reports a syntax error with file and line', () => {
    try {
      parseYaml('a: 1\nb: [1, 2\nc: 3\n', 'bad.yml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      const d = (err as UserError).diagnostics[0]!;
      expect(d.source?.file).toBe('bad.yml');
      expect(d.summary).toMatch(/invalid YAML/);
    }
  });

  it('refuses duplicate keys, which would silently drop a value', () => {
    expect(() => parseYaml('a: 1\na: 2\n', 'dup.yml')).toThrow(/dup.yml:2/);
  });

  it("reads unquoted yes/no/on/off as booleans, as Ansible's YAML 1.1 does, but keeps quoted ones and 1.2 numbers", () => {
    const v = parseYaml('a: yes\nb: no\nc: "yes"\nd: off\ne: 0644\nf: yesterday\n', 'b.yml');
    expect(v).toEqual({ a: true, b: false, c: 'yes', d: false, e: 644, f: 'yesterday' });
  });

  it('resolves aliases to their values, with their types', () => {
    const v = parseYaml('wipe: &off false\nreally: *off\nbase: &b {x: 1, list: [a, b]}\ncopy_of: *b\n', 'a.yml') as Record<string, unknown>;
    expect(v.really).toBe(false);
    expect(v.copy_of).toEqual({ x: 1, list: ['a', 'b'] });
    // a copy, not the same object: a change to one never shows in the other
    expect(v.copy_of).not.toBe(v.base);
  });

  it('merges `<<` keys: written keys win, an earlier merged map wins over a later one', () => {
    const v = parseYaml('a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc: {<<: [*a, *b], x: 3}\nd: {<<: *b}\n', 'm.yml') as Record<string, Record<string, unknown>>;
    expect(v.c).toEqual({ x: 3, y: 1, z: 2 });
    expect(v.d).toEqual({ y: 2, z: 2 });
    expect(locOf(v.d, 'z')?.line).toBe(2);
  });

  it('refuses alias expansion past the limit at the alias, without expanding it', () => {
    let text = 'a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n';
    let prev = 'a';
    for (const n of 'bcdefghi') {
      text += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
      prev = n;
    }
    expect(() => parseYaml(text, 'lol.yml')).toThrow(/lol\.yml:\d+:\d+: aliases expand to more than 100000 values/);
  });

  it('refuses __proto__ keys and NUL characters, at their position', () => {
    expect(() => parseYaml('t:\n  __proto__: {when: false}\n', 'p.yml')).toThrow(/p\.yml:2:3: "__proto__" is not allowed as a key/);
    expect(() => parseYaml('dest: "/tmp/a\\0b"\n', 'n.yml')).toThrow(/n\.yml:1:7: a NUL character/);
  });
});

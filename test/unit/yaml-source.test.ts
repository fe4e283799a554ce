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
});

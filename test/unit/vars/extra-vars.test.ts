import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExtraVars } from '../../../src/vars/extra-vars.js';
import { UserError } from '../../../src/errors/diagnostic.js';

const dir = mkdtempSync(join(tmpdir(), 'rosey-ev-'));
writeFileSync(join(dir, 'vars.yml'), 'release: 42\nfeatures: [a, b]\n');
writeFileSync(join(dir, 'vars.json'), '{"port": 8001, "tls": false}');
writeFileSync(join(dir, 'list.yml'), '- a\n');
writeFileSync(join(dir, 'bad.json'), '{"port": ');

function errorOf(args: string[]): UserError {
  try {
    parseExtraVars(args, dir);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

describe('parseExtraVars', () => {
  it('reads k=v pairs as strings, several in one argument, with quotes', () => {
    expect(parseExtraVars(['release=42', 'a=1 b="two words" c=\'x=y\' d='], dir)).toEqual({ release: '42', a: '1', b: 'two words', c: 'x=y', d: '' });
  });

  it('reads inline JSON with its types', () => {
    expect(parseExtraVars(['{"port": 8001, "list": [1, 2], "on": true}'], dir)).toEqual({ port: 8001, list: [1, 2], on: true });
  });

  it('reads @file.yml and @file.json relative to cwd', () => {
    expect(parseExtraVars(['@vars.yml', `@${join(dir, 'vars.json')}`], dir)).toEqual({ release: 42, features: ['a', 'b'], port: 8001, tls: false });
  });

  it('lets a later argument win', () => {
    expect(parseExtraVars(['a=1', '{"a": 2}'], dir)).toEqual({ a: 2 });
  });

  it('keeps hostile values as plain strings', () => {
    expect(parseExtraVars(["msg='$(rm -rf /); `id` | x'"], dir)).toEqual({ msg: '$(rm -rf /); `id` | x' });
    expect(parseExtraVars(['{"v": "{{ lookup }}"}'], dir)).toEqual({ v: '{{ lookup }}' });
  });

  it.each([
    [['novalue'], '-e "novalue": "novalue" is not name=value'],
    [['9x=1'], '"9x" is not a valid variable name'],
    [['a="open'], 'unclosed quote'],
    [['@missing.yml'], 'cannot read'],
    [['@list.yml'], 'must hold a map'],
    [['@bad.json'], 'invalid JSON'],
    [['{"a": '], '-e "{\\"a\\":": invalid YAML'],
    [[''], 'empty'],
  ])('%j is an error naming the argument', (args, message) => {
    expect(errorOf(args).message).toContain(message);
  });
});

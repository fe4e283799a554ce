import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { joinCmds, quote, raw, secret, sh } from '../../src/transport/quote.js';

const hostile = [
  `it's`,
  `$(touch /tmp/rosey-pwned)`,
  '`id`',
  'a;b|c&d',
  'x > /etc/passwd',
  '"double" and \\back\\slash',
  'new\nline',
  '*',
  '-rf',
  '',
  ' leading and trailing ',
  `'$;|&`,
  'ünïcødé ✓',
];

/** Run through a real POSIX shell: printf the single argument back. */
function echoBack(cmdText: string): string {
  return execFileSync('/bin/sh', ['-c', cmdText], { encoding: 'utf8' });
}

describe('shell quoting', () => {
  it.each(hostile)('passes %j through /bin/sh as one literal argument', (value) => {
    const cmd = sh`printf '%s' ${value}`;
    expect(echoBack(cmd.text)).toBe(value);
  });

  it('quotes each element of an array as its own argument', () => {
    const cmd = sh`printf '[%s]' ${hostile}`;
    expect(echoBack(cmd.text)).toBe(hostile.map((v) => `[${v}]`).join(''));
  });

  it('leaves plain words unquoted so commands stay readable', () => {
    expect(quote('/etc/rosey/app.conf')).toBe('/etc/rosey/app.conf');
    expect(quote('a b')).toBe(`'a b'`);
  });

  it('masks secrets in the display form but runs the real value', () => {
    const cmd = sh`printf '%s' ${secret(`hunter2'$;`)}`;
    expect(cmd.display).toBe(`printf '%s' ********`);
    expect(cmd.display).not.toContain('hunter2');
    expect(echoBack(cmd.text)).toBe(`hunter2'$;`);
    expect(JSON.stringify({ v: secret('hunter2') })).not.toContain('hunter2');
  });

  it('inserts nested commands and raw syntax without re-quoting', () => {
    const inner = sh`printf '%s' ${'a b'}`;
    const outer = joinCmds([inner, sh`printf '%s' ${'c'}`, raw('true')], '&&');
    expect(echoBack(outer.text)).toBe('a bc');
  });

  it('refuses a NUL byte instead of truncating the argument', () => {
    expect(() => sh`echo ${'a\0b'}`).toThrow(/NUL/);
  });
});

import { describe, expect, it } from 'vitest';
import { evaluate, evaluateCondition, parseExpression } from '../../../src/vars/expression.js';
import { UserError } from '../../../src/errors/diagnostic.js';
import { userErrorOf } from '../user-error.js';
import { secret, Secret } from '../../../src/transport/quote.js';
import { parseYaml } from '../../../src/yaml/source.js';

const loc = { file: 'site.yml', line: 12, column: 7 };
const vars = {
  a: 1,
  s: 'hello world',
  name: 'web1',
  list: [1, 2, 3],
  names: ['web1', 'web2'],
  app: { port: 8080, tls: { enabled: true } },
  empty: '',
  nothing: null,
  port_text: '8080',
  flag: 'yes',
  pw: secret('hunter2'),
  result: { changed: true, failed: false, rc: 0, stdout: 'ok: done\n' },
  skipped_result: { changed: false, skipped: true },
  failed_result: { changed: false, failed: true, rc: 2 },
};
const ev = (e: string) => evaluate(e, vars, loc);
const cond = (e: string) => evaluateCondition(e, vars, loc);


describe('expression operators', () => {
  it.each([
    ['a == 1', true],
    ['a != 1', false],
    ["name == 'web1'", true],
    ['name == "web2"', false],
    ['a < 2', true],
    ['a <= 1', true],
    ['a > 1', false],
    ['a >= 1', true],
    ['a == 1 and name == "web1"', true],
    ['a == 2 or name == "web1"', true],
    ['not a == 2', true],
    ['not (a == 1 or a == 2)', false],
    ["'world' in s", true],
    ["'moon' not in s", true],
    ['2 in list', true],
    ['4 not in list', true],
    ["'port' in app", true],
    ['name in names', true],
    ['[1, 2] == [1, 2]', true],
    ['app.port == 8080', true],
    ["app['port'] == 8080", true],
    ['app.tls.enabled', true],
    ['list[0] == 1', true],
    ['list[-1] == 3', true],
    ['list.1 == 2', true],
    ['True and true', true],
    ['False or false', false],
    ['1 + 2 * 3 == 7', true],
    ['(1 + 2) * 3 == 9', true],
    ['7 // 2 == 3 and 7 % 2 == 1', true],
    ["'a' ~ 1 == 'a1'", true],
    ['-a == -1', true],
    ["'x' if a == 1 else 'y'", 'x'],
  ])('%s → %s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected);
  });

  it('keeps Python semantics for equality: no type coercion', () => {
    expect(ev("port_text == 8080")).toBe(false);
    expect(ev('port_text | int == 8080')).toBe(true);
  });

  it('short-circuits, so a guard protects an undefined variable', () => {
    expect(cond('missing is defined and missing > 1')).toBe(false);
    expect(cond('missing is not defined or missing > 1')).toBe(true);
  });

  it('returns typed values', () => {
    expect(ev('list')).toEqual([1, 2, 3]);
    expect(ev('app.port')).toBe(8080);
    expect(ev("{'k': a}")).toEqual({ k: 1 });
  });
});

describe('tests (is ...)', () => {
  it.each([
    ['a is defined', true],
    ['missing is defined', false],
    ['missing is undefined', true],
    ['missing is not defined', true],
    ['app.nope is defined', false],
    ['nope.deeper.still is defined', false],
    ['nothing is none', true],
    ['result is changed', true],
    ['result is failed', false],
    ['result is succeeded', true],
    ['result is success', true],
    ['skipped_result is skipped', true],
    ['failed_result is failed', true],
    ['failed_result is not succeeded', true],
    ['not result is failed', true],
  ])('%s → %s', (expr, expected) => {
    expect(cond(expr)).toBe(expected);
  });
});

describe('filters', () => {
  it.each([
    ['list | length == 3', true],
    ['s | length', 11],
    ['app | length', 2],
    ["'42' | int", 42],
    ["'4.5' | float", 4.5],
    ["'abc' | int", 0],
    ['flag | bool', true],
    ["'false' | bool", false],
    ["'  x ' | trim", 'x'],
    ["'Ab' | lower", 'ab'],
    ["'Ab' | upper", 'AB'],
    ['missing | default(5)', 5],
    ['missing | d(5)', 5],
    ["empty | default('x', true)", 'x'],
    ['a | default(5)', 1],
    ["names | join(',')", 'web1,web2'],
    ['names | first', 'web1'],
    ['names | last', 'web2'],
    ['missing | default(3) + 1', 4],
    ['s | upper | lower == s', true],
  ])('%s → %s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected);
  });
});

describe('conditions', () => {
  it('uses Python truthiness', () => {
    expect(cond('empty')).toBe(false);
    expect(cond('nothing')).toBe(false);
    expect(cond('list')).toBe(true);
    expect(cond('0')).toBe(false);
  });

  it('takes booleans and lists that must all hold', () => {
    expect(evaluateCondition(true, vars, loc)).toBe(true);
    expect(evaluateCondition(['a == 1', 'name == "web1"'], vars, loc)).toBe(true);
    expect(evaluateCondition(['a == 1', 'name == "x"'], vars, loc)).toBe(false);
    expect(evaluateCondition([], vars, loc)).toBe(true);
  });

  it('points at the failing list item when the list came from YAML', () => {
    const when = parseYaml('when:\n  - a == 1\n  - nope > 1\n', 'tasks.yml') as { when: string[] };
    const err = userErrorOf(() => evaluateCondition(when.when, vars, loc));
    expect(err.diagnostics[0]!.source).toEqual({ file: 'tasks.yml', line: 3, column: 5 });
  });

  it('compares a Secret by its real value but returns it still wrapped', () => {
    expect(cond("pw == 'hunter2'")).toBe(true);
    expect(ev('pw')).toBeInstanceOf(Secret);
    expect(ev('pw | length')).toBe(7);
  });
});

describe('undefined variables', () => {
  it('names the variable, the location and a likely typo', () => {
    const err = userErrorOf(() => evaluate('app_prot > 1', { app_port: 1 }, loc));
    const d = err.diagnostics[0]!;
    expect(d.summary).toBe('undefined variable "app_prot" in expression "app_prot > 1"');
    expect(d.source).toEqual(loc);
    expect(d.detail).toContain('Did you mean "app_port"?');
    expect(err.message).toContain('site.yml:12:7');
  });

  it('names the missing attribute of a defined map', () => {
    const err = userErrorOf(() => ev('app.prot == 1'));
    expect(err.diagnostics[0]!.summary).toContain('undefined variable "app.prot" (no "prot" there)');
    expect(err.diagnostics[0]!.detail).toContain('Did you mean "port"?');
  });

  it('is an error in every filter but default', () => {
    expect(userErrorOf(() => ev('missing | length')).message).toContain('undefined variable "missing"');
    expect(userErrorOf(() => ev('missing')).message).toContain('undefined variable "missing"');
  });

  it('does not look up names on the prototype chain', () => {
    expect(cond('toString is defined')).toBe(false);
    expect(cond('app.constructor is defined')).toBe(false);
  });
});

describe('type mistakes', () => {
  it('refuses to order a string against a number, with a hint', () => {
    const err = userErrorOf(() => ev('port_text > 80'));
    expect(err.diagnostics[0]!.summary).toContain('cannot compare a string with a number');
    expect(err.diagnostics[0]!.detail).toContain('| int');
  });

  it('refuses division by zero and bad operands', () => {
    expect(userErrorOf(() => ev('1 / 0')).message).toContain('division by zero');
    expect(userErrorOf(() => ev("'a' - 1")).message).toContain('cannot use "-"');
    expect(userErrorOf(() => ev('1 in 2')).message).toContain('"in" needs');
  });
});

describe('syntax errors', () => {
  it.each([
    ['a ==', 'expected a value, found the end of the expression'],
    ['a = 1', 'unexpected "="'],
    ['a && b', 'unexpected "&&"'],
    ['!a', 'unexpected "!"'],
    ['{{ a }} == 1', 'unexpected "{{"'],
    ['(a == 1', 'expected ")"'],
    ['a b', 'unexpected "b"'],
    ['x is defind', 'unknown test "defind"'],
    ['x | lenght', 'unknown filter "lenght"'],
    ["'abc", 'unterminated string'],
    ['x.startswith("a")', 'function and method calls are not supported'],
    ['', 'empty expression'],
    ['a and', 'expected a value'],
    ['[1, 2', 'expected "]"'],
  ])('%s → %s', (expr, message) => {
    const err = userErrorOf(() => parseExpression(expr, loc));
    expect(err.diagnostics[0]!.summary).toContain(message);
    expect(err.diagnostics[0]!.source).toEqual(loc);
  });

  it('shows where and what was expected', () => {
    const err = userErrorOf(() => parseExpression('x is defind', loc));
    expect(err.diagnostics[0]!.detail).toBe('  x is defind\n       ^\nHint: did you mean "defined"?.');
  });

  it('parses without variables, so the validator can check before any host is contacted', () => {
    expect(parseExpression('undefined_thing is defined and x | length > 2', loc).kind).toBe('logical');
  });
});

describe('hostile input is only data', () => {
  it('never evaluates JavaScript', () => {
    const evil = { code: "process.exit(1)", payload: "'); require('child_process').exec('rm -rf /'); ('" };
    expect(evaluate('code == "process.exit(1)"', evil, loc)).toBe(true);
    expect(evaluate('payload | length > 0', evil, loc)).toBe(true);
    expect(() => parseExpression('constructor.constructor("return process")()', loc)).toThrow(UserError);
    expect(evaluate('__proto__ is defined', {}, loc)).toBe(false);
  });
});

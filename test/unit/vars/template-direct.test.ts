import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { buildScope } from '../../../src/runner/scope.js';
import { secret, Secret } from '../../../src/transport/quote.js';
import { directPieces } from '../../../src/vars/template-direct.js';
import { renderString, renderTemplate, renderValue } from '../../../src/vars/template.js';
import { userErrorOf } from '../user-error.js';

const loc = { file: 'play.yml', line: 7, column: 5 };
const vars = {
  app_root: '/srv/app',
  port: 8080,
  on: true,
  off: false,
  zero: 0,
  empty: '',
  names: ['web1', 'web2'],
  app: { port: 8080, hosts: ['a', 'b'], deep: { er: 'x' } },
  nothing: null,
  pw: secret('s3cr3t'),
  conf: { password: secret('p4ss') },
  'odd name': 'spaced',
};

// the same text inside {{#if true}}...{{/if}} is no longer plain: Handlebars renders it
const throughHandlebars = (text: string): string => `{{#if true}}${text}{{/if}}`;

const plain = (text: string): boolean => directPieces(Handlebars.parse(text).body) !== undefined;

/** The error's whole text: summary, detail (did-you-mean) and file:line. */
const errorOf = (f: () => unknown): string => {
  const err = userErrorOf(f);
  return err.diagnostics.map((d) => `${d.source ? `${d.source.file}:${d.source.line}:${d.source.column}` : ''} ${d.summary}\n${d.detail ?? ''}`).join('\n');
};

describe('plain templates (text and variable paths) rendered without Handlebars', () => {
  it.each([
    '{{ app_root }}/etc/{{ port }}.conf',
    'a={{ app.port }} b={{ app.deep.er }} c={{ names.[1] }} d={{ names.length }} e={{ app_root.length }}',
    '{{ on }} {{ off }} {{ zero }} [{{ empty }}]',
    '{{ names }} {{ app }}',
    'password={{ pw }} {{ conf.password }}',
    '{{{ app_root }}} {{[odd name]}} {{ this.port }} {{ ./port }}',
    'x {{~ port ~}} y {{! a comment }} z \\{{ literal }} w',
    'line1\n  {{ port }}\n{{ app_root }}\n',
  ])('%j gives what Handlebars gives', (text) => {
    expect(plain(text)).toBe(true);
    expect(renderString(text, vars, loc)).toBe(renderString(throughHandlebars(text), vars, loc));
    expect(renderTemplate(text, vars, 'app.conf.hbs')).toBe(renderTemplate(throughHandlebars(text), vars, 'app.conf.hbs'));
  });

  it('concatenates, never adds, numbers, and writes lists and maps as JSON with secrets revealed', () => {
    expect(renderString('{{ port }}{{ zero }}', vars, loc)).toBe('80800');
    expect(renderString('{{ names }}|{{ conf }}', vars, loc)).toBe('["web1","web2"]|{"password":"p4ss"}');
  });

  it('a lone path keeps its value and type, a Secret as the Secret object', () => {
    expect(renderValue('{{ port }}', vars, loc)).toBe(8080);
    expect(renderValue('{{ off }}', vars, loc)).toBe(false);
    expect(renderValue('{{ app.hosts }}', vars, loc)).toEqual(['a', 'b']);
    expect(renderValue('{{ pw }}', vars, loc)).toBeInstanceOf(Secret);
    // null is a value: Handlebars gives it (the direct path leaves null to it)
    expect(renderValue('{{ nothing }}', vars, loc)).toBeNull();
    expect(renderString('[{{ nothing }}]', vars, loc)).toBe('[]');
  });

  it('helpers, blocks, data, parents and expressions are left to Handlebars', () => {
    for (const text of ['{{ upper port }}', '{{#if on}}x{{/if}}', '{{ @root.port }}', '{{ ../port }}', '{{ this }}', '{{ "lit" }}', '{{ app.constructor }}']) {
      expect(plain(text)).toBe(false);
    }
    expect(renderString('{{ port | default(1) }}', vars, loc)).toBe('8080');
  });

  it('an undefined variable is the same error, named and located, as through Handlebars', () => {
    // inherited names (methods, prototypes) are not variables, as Handlebars' lookupProperty says
    for (const text of ['{{ app_rot }}/x', 'x {{ app.nope }}', '{{ missing.deep.path }}', '{{ names.[9] }}', '{{ names.map }}', 'a {{ app.toString }}', '{{ app_root.trim }}', '{{ app.__proto__ }}']) {
      const direct = errorOf(() => renderString(text, vars, loc));
      expect(direct).toBe(errorOf(() => renderString(throughHandlebars(text), vars, loc)));
      expect(direct).toMatch(/play\.yml:7:5/);
    }
    expect(errorOf(() => renderString('{{ app_rot }}', vars, loc))).toMatch(/undefined variable "app_rot"\n.*app_root/);
    const inFile = errorOf(() => renderTemplate('a\nb {{ app.nope }}', vars, 'app.conf.hbs'));
    expect(inFile).toMatch(/app\.conf\.hbs:2:\d+/);
    expect(inFile).toMatch(/"app" has no "nope"/);
  });

  it('reads a scope through its rendering: template variables resolve, data stays as it is, errors name where', () => {
    const s = buildScope([
      { name: 'play', vars: { base: '/srv', dir: '{{ base }}/app', broken: '{{ nowhere }}' } },
      { name: 'registered', vars: { out: { stdout: '{{ base }}' } }, data: true },
    ]);
    expect(renderString('{{ dir }}/etc and {{ out.stdout }}', s, loc)).toBe('/srv/app/etc and {{ base }}');
    expect(errorOf(() => renderString('x {{ broken }}', s, loc))).toMatch(/undefined variable "nowhere"/);
  });
});

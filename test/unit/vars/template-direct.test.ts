import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { buildScope } from '../../../src/runner/scope.js';
import { secret, Secret } from '../../../src/transport/quote.js';
import { routeExpressions } from '../../../src/vars/jinja.js';
import { directProgram } from '../../../src/vars/template-direct.js';
import { renderString, renderTemplate, renderValue, throughHandlebars } from '../../../src/vars/template.js';
import { userErrorOf } from '../user-error.js';

const loc = { file: 'play.yml', line: 7, column: 5 };
const vars = {
  app_root: '/srv/app',
  port: 8080,
  on: true,
  off: false,
  zero: 0,
  empty: '',
  none: [],
  names: ['web1', 'web2'],
  app: { port: 8080, hosts: ['a', 'b'], deep: { er: 'x' } },
  nothing: null,
  pw: secret('s3cr3t'),
  conf: { password: secret('p4ss') },
  'odd name': 'spaced',
  item: 'c02',
  changed: 'c02',
};

const direct = (text: string): boolean => directProgram(Handlebars.parse(routeExpressions(text, { loc, isFile: false })));

/** The whole of a UserError: summary, detail (did-you-mean) and file:line. */
const errorOf = (f: () => unknown): string =>
  userErrorOf(f)
    .diagnostics.map((d) => `${d.source ? `${d.source.file}:${d.source.line}:${d.source.column}` : ''} ${d.summary}\n${d.detail ?? ''}`)
    .join('\n');

// every text here is rendered directly; each must give exactly what Handlebars gives
const TEXTS = [
  '{{ app_root }}/etc/{{ port }}.conf',
  'a={{ app.port }} b={{ app.deep.er }} c={{ names.[1] }} d={{ names.length }} e={{ app_root.length }}',
  '{{ on }} {{ off }} {{ zero }} [{{ empty }}] [{{ nothing }}] [{{ nothing.deeper }}] {{ none }}',
  '{{ names }} {{ app }}',
  'password={{ pw }} {{ conf.password }} {{ upper pw }}',
  '{{{ app_root }}} {{[odd name]}} {{ this.port }} {{ ./port }} {{ "lit" }} {{ 42 }} {{ true }}',
  'x {{~ port ~}} y {{! a comment }} z \\{{ literal }} w',
  'line1\n  {{ port }}\n{{ app_root }}\n',
  'revision = {{#if (eq item changed)}}{{ port }}{{else}}0{{/if}}\n',
  '{{#if on}}\n  on\n{{else if zero}}\n  zero\n{{else}}\n  neither\n{{/if}}\n{{#unless empty}}\nno text\n{{/unless}}\n',
  '{{#if zero}}0 is true{{/if}}{{#if none}}[] is true{{/if}}{{#if nothing}}null is true{{/if}}{{^if off}}inverted{{/if}}',
  '  {{#if (and on (not off) (or zero port))}}\n    yes {{~ app_root}}\n  {{~/if}}\n',
  '{{ default nowhere "fallback" }} {{ default app.port 1 }} {{ join names ", " }} {{ to_json app 2 }}',
  '{{ indent (to_yaml app) 2 first=true }}\n{{ quote "it\'s" }} {{ lower (upper "Ab") }}',
  '{{ port | default(1) }} {{ names | join("+") }} {{ "x" if on else "y" }} {{ (port + 1) }}',
  // whitespace control and standalone block lines, nested, with CRLF
  'a:\r\n  {{#if on}}\r\n    {{#unless off}}\r\n      b: {{ port }}\r\n    {{/unless}}\r\n  {{/if}}\r\nc: 1\r\n',
  '{{#if off}}\n  x\n{{~else~}}\n  y {{ port ~}}\n{{/if}}\n  {{! standalone comment }}\nend',
];

describe('templates rendered without Handlebars\' runtime', () => {
  it.each(TEXTS)('%j gives what Handlebars gives', (text) => {
    expect(direct(text)).toBe(true);
    expect(renderString(text, vars, loc)).toBe(throughHandlebars(() => renderString(text, vars, loc)));
    expect(renderTemplate(text, vars, 'app.conf.hbs')).toBe(throughHandlebars(() => renderTemplate(text, vars, 'app.conf.hbs')));
  });

  it('a lone expression keeps its value and type, a Secret as the Secret object, as through Handlebars', () => {
    for (const text of ['{{ port }}', '{{ off }}', '{{ app.hosts }}', '{{ nothing }}', '{{ pw }}', '{{ upper pw }}', '{{ eq port 8080 }}', '{{ port | default(1) }}', '{{ 3 }}']) {
      expect(renderValue(text, vars, loc)).toEqual(throughHandlebars(() => renderValue(text, vars, loc)));
    }
    expect(renderValue('{{ port }}', vars, loc)).toBe(8080);
    expect(renderValue('{{ pw }}', vars, loc)).toBeInstanceOf(Secret);
    expect(renderValue('{{ upper pw }}', vars, loc)).toBe('S3CR3T');
  });

  it('concatenates, never adds, numbers, and writes lists and maps as JSON with secrets revealed', () => {
    expect(renderString('{{ port }}{{ zero }}', vars, loc)).toBe('80800');
    expect(renderString('{{ names }}|{{ conf }}', vars, loc)).toBe('["web1","web2"]|{"password":"p4ss"}');
  });

  it('loops, context changes, data variables, parents and the raw block are left to Handlebars', () => {
    for (const text of ['{{#each names}}{{ this }}{{/each}}', '{{#with app}}{{ port }}{{/with}}', '{{ @root.port }}', '{{ ../port }}', '{{ this }}', '{{ app.constructor }}', '{{ lookup app "port" }}', '{{{{raw}}}}{{ x }}{{{{/raw}}}}', '{{#if on includeZero=true}}x{{/if}}']) {
      expect(direct(text)).toBe(false);
    }
    expect(renderString('{{#each names}}{{ this }}:{{ ../port }} {{/each}}', vars, loc)).toBe('web1:8080 web2:8080 ');
  });

  it('an undefined value is the same error, named and located, as through Handlebars', () => {
    // inherited names (methods, prototypes) are not variables either, as Handlebars' lookupProperty says
    const texts = ['{{ app_rot }}/x', 'x {{ app.nope }}', '{{ missing.deep.path }}', '{{ names.[9] }}', '{{ names.map }}', 'a {{ app.toString }}', '{{ app_root.trim }}', '{{ app.__proto__ }}'];
    texts.push('{{ upper nowhere }}', '{{#if nowhere}}x{{/if}}', '{{#unless app.nope}}x{{/unless}}', '{{ default nowhere nothere }}', '{{ eq (upper app.nope) "X" }}', 'a {{ nope | upper }}', '{{ port + nope }}');
    for (const text of texts) {
      const got = errorOf(() => renderString(text, vars, loc));
      expect(got).toBe(errorOf(() => throughHandlebars(() => renderString(text, vars, loc))));
      expect(got).toMatch(/play\.yml:7:5/);
    }
    expect(errorOf(() => renderString('{{ app_rot }}', vars, loc))).toMatch(/undefined variable "app_rot"\n.*app_root/);
    const inFile = () => renderTemplate('a\n{{#if on}}\nb {{ app.nope }}{{/if}}', vars, 'app.conf.hbs');
    expect(errorOf(inFile)).toBe(errorOf(() => throughHandlebars(inFile)));
    expect(errorOf(inFile)).toMatch(/app\.conf\.hbs:3:\d+ undefined variable "app\.nope"\n.*"app" has no "nope"/);
  });

  it('reads a scope through its rendering: template variables resolve, data stays as it is, errors name where', () => {
    const s = buildScope([
      { name: 'play', vars: { base: '/srv', dir: '{{ base }}/app', broken: '{{ nowhere }}', flag: '{{ on }}', on: true } },
      { name: 'registered', vars: { out: { stdout: '{{ base }}' } }, data: true },
    ]);
    expect(renderString('{{ dir }}/etc and {{ out.stdout }}{{#if flag}}!{{/if}}', s, loc)).toBe('/srv/app/etc and {{ base }}!');
    expect(errorOf(() => renderString('x {{ broken }}', s, loc))).toMatch(/undefined variable "nowhere"/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderString, renderTemplate, renderTemplateFile, renderValue } from '../../../src/vars/template.js';
import { UserError } from '../../../src/errors/diagnostic.js';
import { userErrorOf } from '../user-error.js';
import { secret, Secret } from '../../../src/transport/quote.js';
import { parseYaml } from '../../../src/yaml/source.js';

const loc = { file: 'roles/app/tasks/main.yml', line: 4, column: 9 };
const vars = {
  app_port: 8080,
  app_dir: '/srv/app',
  enabled: true,
  names: ['web1', 'web2'],
  app: { port: 8080, hosts: ['a', 'b'] },
  nothing: null,
  html: `<a href="x">&'`,
  db_password: secret('s3cr3t'),
  config: { user: 'bot', password: secret('p4ss') },
  multiline: 'line1\nline2',
};


describe('renderString', () => {
  it('substitutes variables and nested paths', () => {
    expect(renderString('{{ app_dir }}/current on {{app.port}}', vars, loc)).toBe('/srv/app/current on 8080');
    expect(renderString('first={{ names.[0] }}', vars, loc)).toBe('first=web1');
  });

  it('never HTML-escapes', () => {
    expect(renderString('{{ html }}', vars, loc)).toBe(`<a href="x">&'`);
    expect(renderString('x={{ html }}', vars, loc)).toBe(`x=<a href="x">&'`);
  });

  it('leaves text without templates alone, and treats hostile values as data', () => {
    expect(renderString('plain $HOME `id`', vars, loc)).toBe('plain $HOME `id`');
    expect(renderString('{{ v }}', { v: '{{ app_port }} $(rm -rf /)' }, loc)).toBe('{{ app_port }} $(rm -rf /)');
  });

  it('writes a Secret as its real value into template output', () => {
    expect(renderString('password={{ db_password }}', vars, loc)).toBe('password=s3cr3t');
    expect(renderString('{{ config.password }}!', vars, loc)).toBe('p4ss!');
    expect(renderString('{{ to_json config }}', vars, loc)).toBe('{"user":"bot","password":"p4ss"}');
  });
});

describe('helpers', () => {
  it.each([
    ['{{ default missing "fallback" }}', 'fallback'],
    ['{{ default app.nope 3 }}', '3'],
    ['{{ default app_port 3 }}', '8080'],
    ['{{ to_json names }}', '["web1","web2"]'],
    ['{{ to_json app 2 }}', '{\n  "port": 8080,\n  "hosts": [\n    "a",\n    "b"\n  ]\n}'],
    ['{{ to_yaml app }}', 'port: 8080\nhosts:\n  - a\n  - b'],
    ['{{ join names "," }}', 'web1,web2'],
    ['{{ upper "abc" }} {{ lower "ABC" }}', 'ABC abc'],
    ['{{#if (eq app_port 8080)}}yes{{else}}no{{/if}}', 'yes'],
    ['{{#if (ne app_port 8080)}}yes{{else}}no{{/if}}', 'no'],
    ['{{#if (and enabled (not nothing))}}on{{/if}}', 'on'],
    ['{{#if (or nothing enabled)}}on{{/if}}', 'on'],
    ['{{#each names}}[{{this}}]{{/each}}', '[web1][web2]'],
    ['x:\n  {{ indent multiline 2 }}', 'x:\n  line1\n  line2'],
    ["{{ quote html }}", `'<a href="x">&'\\'''`],
    ['{{ quote db_password }}', 's3cr3t'],
  ])('%s', (tpl, expected) => {
    expect(renderString(tpl, vars, loc)).toBe(expected);
  });
});

describe('renderValue keeps types', () => {
  it('returns the typed value of a lone expression', () => {
    expect(renderValue('{{ app_port }}', vars, loc)).toBe(8080);
    expect(renderValue('{{app.hosts}}', vars, loc)).toEqual(['a', 'b']);
    expect(renderValue('{{ app }}', vars, loc)).toEqual(vars.app);
    expect(renderValue('{{ enabled }}', vars, loc)).toBe(true);
    expect(renderValue('{{ nothing }}', vars, loc)).toBeNull();
    expect(renderValue('{{ default missing 5 }}', vars, loc)).toBe(5);
  });

  it('keeps a lone secret as the Secret object', () => {
    const v = renderValue('{{ db_password }}', vars, loc);
    expect(v).toBeInstanceOf(Secret);
    expect((v as Secret).reveal()).toBe('s3cr3t');
  });

  it('renders strings inside lists and maps, keeping the rest', () => {
    const value = { port: '{{ app_port }}', url: 'http://h:{{ app_port }}/', list: ['{{ app_dir }}', 3, false], n: null };
    expect(renderValue(value, vars, loc)).toEqual({ port: 8080, url: 'http://h:8080/', list: ['/srv/app', 3, false], n: null });
    expect(value.port).toBe('{{ app_port }}');
  });

  it('is text when there is anything around the expression', () => {
    expect(renderValue(' {{ app_port }}', vars, loc)).toBe(' 8080');
    expect(renderValue('{{ app_port }}{{ app_port }}', vars, loc)).toBe('80808080');
  });
});

describe('undefined variables are errors', () => {
  it('names the variable, the location and a likely typo', () => {
    const err = userErrorOf(() => renderString('listen {{ app_prot }}', vars, loc));
    const d = err.diagnostics[0]!;
    expect(d.summary).toBe('undefined variable "app_prot"');
    expect(d.source).toEqual(loc);
    expect(d.detail).toContain('Did you mean "app_port"?');
  });

  it('names the full path of a missing member', () => {
    const err = userErrorOf(() => renderString('{{ app.prot }}', vars, loc));
    expect(err.diagnostics[0]!.summary).toBe('undefined variable "app.prot"');
    expect(err.diagnostics[0]!.detail).toContain('Did you mean "port"?');
    expect(userErrorOf(() => renderString('{{ nope.deep.path }}', vars, loc)).diagnostics[0]!.summary).toBe('undefined variable "nope.deep.path"');
  });

  it('applies to a lone expression, helpers and blocks too', () => {
    expect(userErrorOf(() => renderValue('{{ app_prot }}', vars, loc)).diagnostics[0]!.summary).toBe('undefined variable "app_prot"');
    expect(userErrorOf(() => renderString('{{ upper nope }}', vars, loc)).diagnostics[0]!.summary).toBe('undefined variable "nope"');
    expect(userErrorOf(() => renderString('{{#if nope}}x{{/if}}', vars, loc)).diagnostics[0]!.summary).toBe('undefined variable "nope"');
    expect(userErrorOf(() => renderString('{{#each nope}}x{{/each}}', vars, loc)).diagnostics[0]!.summary).toBe('undefined variable "nope"');
    expect(userErrorOf(() => renderValue('{{ join nope "," }}', vars, loc)).diagnostics[0]!.summary).toBe('undefined variable "nope"');
  });

  it('reports an unknown helper with a suggestion', () => {
    const err = userErrorOf(() => renderString('{{ uper app_dir }}', vars, loc));
    expect(err.diagnostics[0]!.summary).toBe('unknown helper "uper"');
    expect(err.diagnostics[0]!.detail).toContain('Did you mean "upper"?');
  });

  it('uses the position of each value in YAML when walking a structure', () => {
    const args = parseYaml('copy:\n  dest: /etc/x\n  content: "{{ missing_var }}"\n', 'site.yml') as { copy: unknown };
    const err = userErrorOf(() => renderValue(args.copy, vars, loc));
    expect(err.diagnostics[0]!.source).toEqual({ file: 'site.yml', line: 3, column: 12 });
  });
});

describe('syntax errors', () => {
  it('reports an unclosed mustache with the location', () => {
    const err = userErrorOf(() => renderString('{{ app_port }', vars, loc));
    expect(err.diagnostics[0]!.summary).toMatch(/^invalid template/);
    expect(err.diagnostics[0]!.source).toEqual(loc);
  });
});

describe('template files', () => {
  it('renders a .hbs file and points errors at its own line', () => {
    const text = 'port={{ app_port }}\n{{#each names}}\nhost={{ this }}\n{{/each}}\nuser={{ db_user }}\n';
    expect(() => renderTemplate(text, vars, 'templates/app.conf.hbs')).toThrow(UserError);
    const err = userErrorOf(() => renderTemplate(text, vars, 'templates/app.conf.hbs'));
    expect(err.diagnostics[0]!.source).toEqual({ file: 'templates/app.conf.hbs', line: 5, column: 9 });
    expect(err.message).toBe('templates/app.conf.hbs:5:9: undefined variable "db_user"');
  });

  it('reads the file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-tpl-'));
    const file = join(dir, 'motd.hbs');
    writeFileSync(file, 'Welcome to {{ upper app_dir }} <{{ db_password }}>\n');
    expect(renderTemplateFile(file, vars)).toBe('Welcome to /SRV/APP <s3cr3t>\n');
    expect(userErrorOf(() => renderTemplateFile(join(dir, 'missing.hbs'), vars)).message).toContain('cannot read template');
  });

  it('reports the line of a syntax error in a file', () => {
    const err = userErrorOf(() => renderTemplate('a\nb\n{{#if x}}\nc\n', vars, 'f.hbs'));
    expect(err.diagnostics[0]!.source?.file).toBe('f.hbs');
    expect(err.diagnostics[0]!.source?.line).toBeGreaterThanOrEqual(3);
  });
});

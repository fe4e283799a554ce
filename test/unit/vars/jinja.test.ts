import { describe, expect, it } from 'vitest';
import { userErrorOf } from '../user-error.js';
import { Secret } from '../../../src/shared/secret.js';
import { renderTemplate, renderValue, templateSyntaxError } from '../../../src/vars/template.js';
import { templateRoots } from '../../../src/vars/template-roots.js';

const loc = { file: 'site.yml', line: 7, column: 9 };
const vars = { port: 8080, name: 'Web', hosts: ['a', 'b'], prod: true, pad: '  x  ', db_password: new Secret('pw-1234'), cfg: { k: 1 } };


describe('Jinja-style expressions in {{ }}', () => {
  it.each([
    ["{{ port | default(80) }}", 8080],
    ["{{ missing | default('fallback') }}", 'fallback'],
    ["{{ 'prod' if prod else 'dev' }}", 'prod'],
    ['{{ name | lower }}-{{ name | upper }}', 'web-WEB'],
    ["{{ hosts | join(',') }} ({{ hosts | length }})", 'a,b (2)'],
    ["{{ '42' | int }}", 42],
    ['{{ port | string }}', '8080'],
    ["{{ 'yes' | bool }}", true],
    ['[{{ pad | trim }}]', '[x]'],
    ['{{ cfg | to_json }}', '{"k":1}'],
    ["echo {{ \"it's\" | quote }}", "echo 'it'\\''s'"],
    ['{{ hosts[0] }}', 'a'],
    ['{{ port + 1 }}', 8081],
  ])('%s gives %j', (text, want) => {
    expect(renderValue(text, vars, loc)).toEqual(want);
  });

  it('Handlebars stays Handlebars: paths, helpers, blocks', () => {
    expect(renderValue('{{#each hosts}}[{{this}}]{{/each}} {{ default missing "d" }} {{ upper name }}', vars, loc)).toBe('[a][b] d WEB');
  });

  it('a secret is its value in the text, and a lone secret stays a Secret', () => {
    expect(renderValue("pw={{ db_password | default('') }}", vars, loc)).toBe('pw=pw-1234');
    expect(renderValue('{{ db_password }}', vars, loc)).toBeInstanceOf(Secret);
  });

  it('an undefined variable in an expression is an error at the template line', () => {
    const err = userErrorOf(() => renderTemplate('a\nport={{ prot | int }}\n', vars, 'app.conf.hbs'));
    expect(err.diagnostics[0]).toMatchObject({ summary: 'undefined variable "prot" in expression "prot | int"', source: { file: 'app.conf.hbs', line: 2 } });
    expect(err.diagnostics[0]!.detail).toContain('Did you mean "port"?');
  });

  it('what neither language reads is refused before the run, with both spellings', () => {
    const err = templateSyntaxError('{{ port | nosuch }}', loc)!;
    expect(err.diagnostics[0]!.summary).toMatch(/^invalid expression "\{\{ port \| nosuch \}\}": unknown filter "nosuch"/);
    expect(err.diagnostics[0]!.source).toEqual(loc);
    expect(err.diagnostics[0]!.detail).toContain('{{ port | default(8080) }}');
    expect(templateSyntaxError("{{ x | default('y') }}", loc)).toBeUndefined();
  });

  it('a Jinja statement is refused with the Handlebars block to write', () => {
    const err = templateSyntaxError('{% if prod %}on{% endif %}', loc)!;
    expect(err.diagnostics[0]!.summary).toBe('Jinja statement "{% if %}" in a template');
    expect(err.diagnostics[0]!.detail).toContain('{{#if cond}}');
  });

  it('the static check sees the variables an expression reads, not those under default or is defined', () => {
    expect(templateRoots("{{ a | default(b) }} {{ c | upper }} {{ 'x' if d is defined else e }}")).toEqual(['b', 'c']);
  });
});

describe('literal {{ }} for Prometheus and Alertmanager templates', () => {
  it('\\{{ ... }} writes the braces as they are', () => {
    expect(renderTemplate('summary: "\\{{ $labels.instance }} down ({{ name }})"\n', vars, 'rules.yml.hbs')).toBe('summary: "{{ $labels.instance }} down (Web)"\n');
  });

  it('{{{{raw}}}} blocks keep everything inside, over several lines (a tag alone on its line leaves no blank line)', () => {
    const text = '{{{{raw}}}}\n{{ range .Alerts }}{{ .Labels.alertname }}{{ end }}\n{{ $value | humanize }}\n{{{{/raw}}}}\nport={{ port }}\n';
    expect(renderTemplate(text, vars, 'am.tmpl.hbs')).toBe('{{ range .Alerts }}{{ .Labels.alertname }}{{ end }}\n{{ $value | humanize }}\nport=8080\n');
  });

  it('an unescaped Prometheus variable is an error that says how to escape it', () => {
    const err = userErrorOf(() => renderTemplate('x: {{ $value }}\n', vars, 'rules.yml.hbs'));
    expect(err.diagnostics[0]!.detail).toContain('{{{{raw}}}}');
  });
});

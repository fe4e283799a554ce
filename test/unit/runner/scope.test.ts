import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors/diagnostic.js';
import { buildScope, extendScope } from '../../../src/runner/scope.js';
import { renderValue } from '../../../src/vars/template.js';
import { parseYaml } from '../../../src/yaml/source.js';

const at = { file: 'task.yml', line: 1, column: 1 };

describe('the variables a task sees', () => {
  it('later layers win, whole values replaced', () => {
    const s = buildScope([
      { name: 'role defaults', vars: { port: 1, app: { host: 'a', port: 2 } } },
      { name: 'play vars', vars: { app: { port: 3 } } },
      { name: 'extra vars', vars: { port: 9 } },
    ]);
    expect(s.port).toBe(9);
    expect(s.app).toEqual({ port: 3 });
  });

  it('a variable that is a template resolves on read, keeping its type when it is one expression', () => {
    const s = buildScope([
      { name: 'defaults', vars: { base: '/srv', app_dir: '{{ base }}/app', ports: [80, 443], copy_of_ports: '{{ ports }}' } },
      { name: 'play', vars: { base: '/opt' } },
    ]);
    expect(renderValue('{{ app_dir }}/current', s, at)).toBe('/opt/app/current');
    expect(s.copy_of_ports).toEqual([80, 443]);
  });

  it('a broken variable fails only when something uses it', () => {
    const s = buildScope([{ name: 'play', vars: { fine: 'ok', broken: '{{ nowhere }}' } }]);
    expect(renderValue('{{ fine }}', s, at)).toBe('ok');
    expect(() => renderValue('{{ broken }}', s, at)).toThrow(/nowhere/);
  });

  it('a variable that refers to itself is an error naming the cycle and where it is defined', () => {
    const vars = parseYaml('a: "{{ b }}"\nb: "x{{ a }}"\n', 'vars.yml') as Record<string, unknown>;
    const s = buildScope([{ name: 'vars_files', vars }]);
    try {
      renderValue('{{ a }}', s, at);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toMatch(/vars\.yml:\d+:\d+: variable "a" refers to itself \(a -> b -> a\)/);
    }
  });

  it('values from a host (data layers, loop items, registered results) are never rendered again', () => {
    const s = buildScope([
      { name: 'play', vars: { secret: 'hunter2', shown: '{{ out.stdout }}' } },
      { name: 'registered', vars: { out: { stdout: '{{ secret }}' } }, data: true },
    ]);
    expect(renderValue('{{ out.stdout }}', s, at)).toBe('{{ secret }}');
    expect(renderValue('x {{ out.stdout }} y', s, at)).toBe('x {{ secret }} y');
    expect(s.shown).toBe('{{ secret }}');
    const looped = extendScope(s, { item: '{{ secret }}' }, 'loop');
    expect(renderValue('{{ item }}', looped, at)).toBe('{{ secret }}');
  });

  it('a block helper can reach the outer scope with ../ (the scope compares as an object does)', () => {
    const s = buildScope([{ name: 'play', vars: { port: 80, bots: ['a', 'b'] } }]);
    expect(renderValue('{{#each bots}}{{ this }}:{{ ../port }} {{/each}}', s, at)).toBe('a:80 b:80 ');
  });

  it('a template layer above a data layer takes the name back as a template', () => {
    const s = buildScope([
      { name: 'registered', vars: { v: '{{ w }}' }, data: true },
      { name: 'extra vars', vars: { v: '{{ w }}', w: 'rendered' } },
    ]);
    expect(s.v).toBe('rendered');
  });

  it('extending a scope (loop item, registered result) keeps the layers beneath', () => {
    const s = buildScope([{ name: 'play', vars: { greeting: 'hi {{ item }}' } }]);
    expect(extendScope(s, { item: 'web1' }).greeting).toBe('hi web1');
  });

  it('a loop item sits above every layer, -e included, and each item renders the templates beneath it anew', () => {
    const s = buildScope([
      { name: 'role defaults', vars: { item: 'default', greeting: 'hi {{ item }}', who: 'play' } },
      { name: 'extra vars', vars: { tag: 'e', item: 'from -e' } },
    ]);
    expect(s.greeting).toBe('hi from -e');
    const a = extendScope(s, { item: 'web1' }, 'loop');
    const b = extendScope(s, { item: 'web2' }, 'loop');
    expect([a.greeting, b.greeting, a.tag, a.who]).toEqual(['hi web1', 'hi web2', 'e', 'play']);
    // the task's scope is not changed by its items
    expect([s.item, s.greeting]).toEqual(['from -e', 'hi from -e']);
  });

  it('an extension is data unless told otherwise: a loop item that looks like a template stays text', () => {
    const s = buildScope([{ name: 'play', vars: { w: 'rendered', v: 'plain' } }]);
    expect(extendScope(s, { v: '{{ w }}' }).v).toBe('{{ w }}');
    expect(extendScope(s, { v: '{{ w }}' }, 'vars', { data: false }).v).toBe('rendered');
    // a registered result on top of a loop item: both data, both seen
    const registered = extendScope(extendScope(s, { item: '{{ w }}' }, 'loop'), { out: { stdout: '{{ w }}' } }, 'registered');
    expect(renderValue('{{ item }} {{ out.stdout }} {{ w }}', registered, at)).toBe('{{ w }} {{ w }} rendered');
  });

  it('in an extended scope a self-reference and an undefined variable still name the file:line that defines them', () => {
    const vars = parseYaml('x: 1\na: "{{ b }}"\nb: "{{ item }}{{ a }}"\nc: "{{ nowhere }}"\n', 'vars/main.yml') as Record<string, unknown>;
    const looped = extendScope(buildScope([{ name: 'role vars', vars }]), { item: 'i' }, 'loop');
    expect(() => looped.a).toThrow(/vars\/main\.yml:2:\d+: variable "a" refers to itself \(a -> b -> a\)/);
    expect(() => renderValue('{{ c }}', looped, at)).toThrow(/vars\/main\.yml:4:\d+: undefined variable "nowhere"/);
  });

  it('long chains of extensions keep every name once, the latest winning', () => {
    let s = buildScope([{ name: 'play', vars: { base: 0, n: 'play', t: '{{ n }}!' } }]);
    for (let i = 1; i <= 20; i++) s = extendScope(s, { n: i, [`k${i}`]: i }, `layer ${i}`);
    expect([s.n, s.base, s.k1, s.k20, s.t]).toEqual([20, 0, 1, 20, '20!']);
    expect(Object.keys(s)).toEqual(['base', 'n', 't', ...Array.from({ length: 20 }, (_, i) => `k${i + 1}`)]);
    expect(['k7' in s, 'nope' in s, Object.prototype.hasOwnProperty.call(s, 'k20')]).toEqual([true, false, true]);
  });

  it('values are taken when the scope is built', () => {
    const registered: Record<string, unknown> = {};
    const s = buildScope([{ name: 'registered', vars: registered, data: true }]);
    registered.later = 1;
    expect('later' in s).toBe(false);
    expect('later' in buildScope([{ name: 'registered', vars: registered, data: true }])).toBe(true);
  });
});

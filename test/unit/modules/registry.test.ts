import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { allModules, getModule, moduleNames } from '../../../src/modules/registry.js';

describe('module registry', () => {
  it('finds modules by short and ansible.builtin names', () => {
    expect(getModule('copy')?.name).toBe('copy');
    expect(getModule('ansible.builtin.copy')).toBe(getModule('copy'));
    expect(getModule('ansible.builtin.set_fact')?.kind).toBe('controller');
    expect(getModule('cpoy')).toBeUndefined();
    expect(getModule('community.general.copy')).toBeUndefined();
  });

  it('lists every module name, sorted', () => {
    expect(moduleNames()).toEqual(['apt', 'assert', 'command', 'copy', 'debug', 'fail', 'file', 'group', 'lineinfile', 'release', 'service', 'set_fact', 'shell', 'stat', 'systemd', 'systemd_service', 'template', 'uri', 'user', 'wait_for']);
    expect(getModule('service')).toBe(getModule('systemd'));
    expect(getModule('ansible.builtin.service')).toBe(getModule('systemd'));
  });

  it('every argument schema compiles and refuses unknown arguments', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const m of allModules()) {
      const validate = ajv.compile(m.args);
      if (m.name === 'set_fact') continue;
      expect(validate({ no_such_argument: 1 }), m.name).toBe(false);
      expect(validate.errors?.some((e) => e.keyword === 'additionalProperties'), m.name).toBe(true);
    }
  });

  it('accepts YAML-shaped arguments: numeric modes and argv lists', () => {
    const ajv = new Ajv({ strict: false });
    expect(ajv.validate(getModule('file')!.args, { path: '/x', mode: 644, state: 'directory' })).toBe(true);
    expect(ajv.validate(getModule('file')!.args, { path: '/x', state: 'folder' })).toBe(false);
    expect(ajv.validate(getModule('command')!.args, { argv: ['ls', '-l'], creates: '/x' })).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { allModules } from '../../../src/modules/registry.js';
import { moduleDocs } from '../../../src/modules/docs.js';

const root = resolve(import.meta.dirname, '../../..');
const committed = (rel: string): string => readFileSync(resolve(root, rel), 'utf8');

// That the committed files are what the modules generate: test/unit/schemas/generated.test.ts.
describe('published module schema and docs', () => {
  it('the published schema validates tasks as editors will see them', () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(committed('schemas/modules.schema.json')) as object);
    expect(validate({ copy: { dest: '/etc/motd', content: 'hi', mode: 644 } })).toBe(true);
    expect(validate({ 'ansible.builtin.file': { path: '/srv', state: 'directory' } })).toBe(true);
    expect(validate({ command: 'ls -l creates=/x' })).toBe(true);
    expect(validate({ copy: { dest: '/x', mdoe: '0644' } })).toBe(false);
    expect(validate({ file: { path: '/x', state: 'folder' } })).toBe(false);
  });

  it('documents every module and argument', () => {
    const md = moduleDocs(allModules());
    for (const m of allModules()) expect(md).toContain(`## ${m.name}\n`);
    expect(md).toContain('| `insertbefore` | string |');
  });
});

import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/inventory.js';
import { fixture, userErrorOf } from './fixtures.js';

/** Each malformed inventory fails at load with file:line:col and what to do. */
describe('malformed inventories', () => {
  it.each([
    ['bad/hosts-list.yml', 5, 9, '"hosts" of group "web" must be a map of host names, not a list', 'not a "- web1" list'],
    ['bad/children-list.yml', 3, 5, '"children" of group "all" must be a map of group names, not a list', 'not a "- web" list'],
    ['bad/cycle.yml', 7, 13, 'group "a" is its own ancestor (a > b > a)', 'cannot contain itself'],
    ['bad/unknown-key.yml', 4, 7, 'unknown key "host" in group "web"', 'Did you mean "hosts"?'],
    ['bad/bad-yaml.yml', 3, 10, 'invalid YAML: All mapping items must start at the same column', 'indentation'],
    ['bad/group-not-map.yml', 3, 10, 'group "web" must be a map with hosts:, children: or vars:, not a list', undefined],
    ['bad/vars-list.yml', 3, 5, 'vars of group "all" must be a map of variables (name: value), not a list', undefined],
    ['bad/bad-var-name.yml', 4, 7, 'invalid variable name "app-port" in host "web1"', 'letters, digits and _'],
    ['bad/bad-range.yml', 3, 5, 'bad host range in "web[3:1]": range [3:1] runs backwards', undefined],
    ['bad/top-list.yml', 1, 1, 'an inventory must be a map with "all:" at the top, not a list', undefined],
    ['bad/bad-group-name.yml', 3, 5, 'invalid group name "web servers"', 'cannot contain spaces'],
    ['bad/all-as-child.yml', 5, 9, 'group "all" cannot be a child of "web"', 'is the root'],
    ['bad-group-vars', 1, 1, 'a variables file must hold a map (name: value), not a list', undefined],
  ])('%s → line %i:%i %s', async (name, line, column, summary, detail) => {
    const err = await userErrorOf(() => loadInventory(fixture(name)));
    const d = err.diagnostics[0]!;
    expect(d.summary).toBe(summary);
    expect({ line: d.source?.line, column: d.source?.column }).toEqual({ line, column });
    expect(d.source?.file).toMatch(name.endsWith('.yml') ? name : 'bad-group-vars/group_vars/all.yml');
    if (detail) expect(d.detail).toContain(detail);
    expect(err.message).toContain(`${d.source?.file}:${line}:${column}: ${summary}`);
  });

  it('reports every mistake in a file at once', async () => {
    const err = await userErrorOf(() => loadInventory(fixture('bad/two-mistakes.yml')));
    expect(err.diagnostics.map((d) => [d.source?.line, d.summary])).toEqual([
      [4, '"hosts" of group "web" must be a map of host names, not a list'],
      [6, 'unknown key "childs" in group "db"'],
    ]);
  });
});

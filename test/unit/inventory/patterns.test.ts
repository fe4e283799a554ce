import { beforeAll, describe, expect, it } from 'vitest';
import { loadInventory, type Inventory } from '../../../src/inventory/inventory.js';
import { splitPattern } from '../../../src/inventory/patterns.js';
import { fixture, userErrorOf } from './fixtures.js';

let prod: Inventory;
let ranges: Inventory;
beforeAll(async () => {
  prod = await loadInventory(fixture('prod'));
  ranges = await loadInventory(fixture('ranges'));
});

describe('host patterns', () => {
  it.each([
    ['all', ['bastion', 'web1', 'web2', 'db1']],
    ['*', ['bastion', 'web1', 'web2', 'db1']],
    ['web1', ['web1']],
    ['web', ['web1', 'web2']],
    ['eu', ['web1', 'web2', 'db1']],
    ['db:web', ['web1', 'web2', 'db1']],
    ['db,web', ['web1', 'web2', 'db1']],
    [' web , bastion ', ['bastion', 'web1', 'web2']],
    ['web:!web2', ['web1']],
    ['eu:!db', ['web1', 'web2']],
    ['!web', ['bastion', 'db1']],
    ['web:&canary', ['web2']],
    ['&canary:web', ['web2']],
    ['eu:!canary:&web', ['web1']],
    ['web*', ['web1', 'web2']],
    ['*1', ['web1', 'db1']],
    ['w?b2', ['web2']],
    ['~^(web|db)1$', ['web1', 'db1']],
    ['web[0]', ['web1']],
    ['web[-1]', ['web2']],
    ['eu[1:2]', ['web2', 'db1']],
  ])('%s', (pattern, hosts) => {
    expect(prod.selectHosts(pattern)).toEqual(hosts);
  });

  it('takes a list, as a play\'s hosts: may be', () => {
    expect(prod.selectHosts(['db', 'bastion'])).toEqual(['bastion', 'db1']);
  });

  it('matches name ranges when the base is not a group', () => {
    expect(ranges.selectHosts('node0[2:3]')).toEqual(['node02', 'node03']);
    expect(ranges.selectHosts('db-[a:b]')).toEqual(['db-a', 'db-b']);
    expect(ranges.selectHosts('node0[13]')).toEqual(['node01', 'node03']);
    expect(ranges.selectHosts('db-[!a]')).toEqual(['db-b', 'db-c']);
  });

  it('keeps ranges whole when splitting', () => {
    expect(splitPattern('web[1:2]:!db,x')).toEqual(['web[1:2]', '!db', 'x']);
  });
});

describe('--limit', () => {
  it('narrows the pattern with the same syntax', () => {
    expect(prod.selectHosts('all', 'web')).toEqual(['web1', 'web2']);
    expect(prod.selectHosts('eu', 'web:!web1')).toEqual(['web2']);
    expect(prod.selectHosts('all', 'db1,bastion')).toEqual(['bastion', 'db1']);
  });

  it('leaves a play with no host (skipped) when the limit is elsewhere', () => {
    expect(prod.selectHosts('db', 'web1')).toEqual([]);
  });

  it('is an error when it names nothing or selects nothing', async () => {
    expect((await userErrorOf(() => prod.selectHosts('all', 'wbe'))).diagnostics[0]).toMatchObject({ summary: '--limit "wbe": no host or group matches "wbe"', detail: 'Did you mean "web"?' });
    expect((await userErrorOf(() => prod.selectHosts('all', 'web:&db'))).message).toBe('--limit "web:&db" selects no host');
  });
});

describe('pattern mistakes', () => {
  const loc = { file: 'site.yml', line: 2, column: 10 };

  it('names an unknown group or host, with a suggestion, at the play\'s location', async () => {
    const err = await userErrorOf(() => prod.selectHosts('webservers:db', undefined, loc));
    expect(err.diagnostics[0]).toEqual({ severity: 'error', summary: 'hosts "webservers:db": no host or group matches "webservers"', detail: 'Groups: all, web, db, eu, canary, ungrouped.', source: loc });
    expect((await userErrorOf(() => prod.selectHosts('db:!cannary', undefined, loc))).diagnostics[0]!.detail).toBe('Did you mean "canary"?');
    expect((await userErrorOf(() => prod.selectHosts('bastian', undefined, loc))).diagnostics[0]!.detail).toBe('Did you mean "bastion"?');
  });

  it('refuses a glob that matches nothing and a pattern that selects nothing', async () => {
    expect((await userErrorOf(() => prod.selectHosts('zz*'))).message).toContain('no host or group matches "zz*"');
    expect((await userErrorOf(() => prod.selectHosts('web:&db', undefined, loc))).message).toBe('site.yml:2:10: hosts "web:&db" selects no host');
  });

  it('refuses an empty pattern and a bad regex', async () => {
    expect((await userErrorOf(() => prod.selectHosts(''))).message).toContain('empty host pattern');
    expect((await userErrorOf(() => prod.selectHosts('~web('))).message).toContain('invalid regular expression');
  });
});

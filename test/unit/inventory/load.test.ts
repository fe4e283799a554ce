import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/inventory.js';
import { explainVar, varOrigin } from '../../../src/vars/merge.js';
import { fixture, userErrorOf } from './fixtures.js';

describe('loadInventory: the Ansible YAML format', () => {
  it('reads a directory: name, hosts in file order, groups', async () => {
    const inv = await loadInventory(fixture('prod'));
    expect(inv.name).toBe('prod');
    expect([...inv.hosts.keys()]).toEqual(['bastion', 'web1', 'web2', 'db1']);
    expect([...inv.groups.keys()].sort()).toEqual(['all', 'canary', 'db', 'eu', 'ungrouped', 'web']);
    expect(inv.groups.get('eu')!.children).toEqual(['web', 'db']);
    expect(inv.groups.get('web')!.parents).toEqual(['all', 'eu']);
    expect(inv.hosts.get('web2')!.groups).toEqual(['web', 'canary']);
  });

  it('reads a hosts file given directly, named after its directory', async () => {
    const inv = await loadInventory(fixture('prod/hosts.yml'));
    expect(inv.name).toBe('prod');
    expect(inv.hostVars('web1').level).toBe('host-dir');
  });

  it('puts hosts of no group in ungrouped', async () => {
    const inv = await loadInventory(fixture('prod'));
    expect(inv.hostVars('bastion').group_names).toEqual(['ungrouped']);
    expect(inv.selectHosts('ungrouped')).toEqual(['bastion']);
  });

  it('expands host ranges, keeping leading zeros', async () => {
    const inv = await loadInventory(fixture('ranges'));
    expect([...inv.hosts.keys()]).toEqual(['node01', 'node02', 'node03', 'db-a', 'db-b', 'db-c']);
    expect(inv.hostVars('node02').role).toBe('worker');
  });

  it('warns about a host_vars file for an unknown host, with a suggestion', async () => {
    const inv = await loadInventory(fixture('prod'));
    expect(inv.warnings).toHaveLength(1);
    expect(inv.warnings[0]!.summary).toMatch(/host_vars\/wbe1\.yml: variables for unknown host "wbe1" are not used$/);
    expect(inv.warnings[0]!.detail).toBe('Did you mean "web1"?');
  });
});

describe('host variables: precedence', () => {
  it('host_vars/ beats the host in the hosts file, which beats every group', async () => {
    const inv = await loadInventory(fixture('prod'));
    expect(inv.hostVars('web1').level).toBe('host-dir');
  });

  it('group_vars/ beats the hosts file; a deeper group beats a shallower one', async () => {
    const inv = await loadInventory(fixture('prod'));
    // hosts.yml: all < canary, eu (depth 1) < web (depth 2); then group_vars/all < group_vars/web
    expect(inv.hostVars('web2').level).toBe('web-dir');
    expect(inv.hostVarLayers('web2').map((l) => l.name.replace(/^.*inventory\//, ''))).toEqual([
      'prod/hosts.yml: group "all" vars',
      'prod/hosts.yml: group "canary" vars',
      'prod/hosts.yml: group "eu" vars',
      'prod/hosts.yml: group "web" vars',
      'prod/group_vars/all.yml',
      'prod/group_vars/web.yml',
      'prod/hosts.yml: host "web2"',
      'magic variables',
    ]);
  });

  it('sibling groups of one depth and priority merge in Python\'s string order, as Ansible: "B" before "a", so "a" wins', async () => {
    // ansible-inventory -i hosts.yml --host h1 (ansible-core 2.14) gives x: from_a
    const dir = mkdtempSync(join(tmpdir(), 'rosey-inv-order-'));
    writeFileSync(join(dir, 'hosts.yml'), 'all:\n  children:\n    a:\n      hosts: {h1: {}}\n      vars: {x: from_a}\n    B:\n      hosts: {h1: {}}\n      vars: {x: from_B}\n');
    const inv = await loadInventory(join(dir, 'hosts.yml'));
    expect(inv.hostVars('h1').x).toBe('from_a');
    expect(inv.hostVars('h1').group_names).toEqual(['B', 'a']);
  });

  it('group_vars/all beats a child group\'s vars in the hosts file (Ansible\'s order)', async () => {
    const inv = await loadInventory(fixture('prod'));
    expect(inv.hostVars('bastion').level).toBe('all-dir');
    expect(inv.hostVars('db1').level).toBe('db-dir');
  });

  it('merges the directory form of group_vars in lexical order, skipping editor backups', async () => {
    const inv = await loadInventory(fixture('prod'));
    expect(inv.hostVars('db1').db_port).toBe(5433);
  });

  it('inherits from every ancestor group', async () => {
    const v = (await loadInventory(fixture('prod'))).hostVars('web1');
    expect(v).toMatchObject({ region: 'eu', web_only: true, app_port: 8000, ntp: 'pool.ntp.org', ansible_user: 'deploy' });
  });

  it('adds the magic variables', async () => {
    const inv = await loadInventory(fixture('prod'));
    const v = inv.hostVars('web2');
    expect(v.inventory_hostname).toBe('web2');
    expect(v.group_names).toEqual(['canary', 'eu', 'web']);
    expect(v.groups).toMatchObject({ all: ['bastion', 'web1', 'web2', 'db1'], web: ['web1', 'web2'], eu: ['web1', 'web2', 'db1'], canary: ['web2'] });
    expect(v.rosey_environment).toBe('prod');
    expect(v.inventory_dir).toBe(fixture('prod'));
  });

  it('says which file and line a value comes from', async () => {
    const inv = await loadInventory(fixture('prod'));
    const origin = varOrigin(inv.hostVars('web2'), 'ansible_port');
    expect(origin?.source).toMatchObject({ line: 22, column: 25 });
    expect(origin?.source?.file).toMatch(/prod\/hosts\.yml$/);
    expect(explainVar(inv.hostVarLayers('web1'), 'level').map((o) => o.value)).toEqual(['all-file', 'web-file', 'all-dir', 'web-dir', 'host-file', 'host-dir']);
  });

  it('rejects an unknown host name with a suggestion', async () => {
    const inv = await loadInventory(fixture('prod'));
    expect((await userErrorOf(() => inv.hostVars('web3'))).diagnostics[0]!.detail).toBe('Did you mean "web1"?');
  });
});

describe('missing inventories', () => {
  it('says what is missing', async () => {
    expect((await userErrorOf(() => loadInventory(fixture('nope')))).message).toContain('inventory not found');
    expect((await userErrorOf(() => loadInventory(fixture('bad-group-vars/group_vars')))).message).toContain('no hosts file in inventory');
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { userInfo } from 'node:os';
import { loadInventory, type Inventory } from '../../../src/inventory/inventory.js';
import { connectionSpec } from '../../../src/inventory/connection-spec.js';
import { secret } from '../../../src/transport/quote.js';
import { fixture, userErrorOf } from './fixtures.js';

let inv: Inventory;
beforeAll(async () => {
  inv = await loadInventory(fixture('connection'));
});

describe('connectionSpec', () => {
  it('reads Ansible connection variables; relative paths resolve against the inventory directory', () => {
    expect(inv.connectionSpec('good')).toEqual({
      kind: 'ssh',
      name: 'good',
      address: '192.0.2.1',
      port: 2222,
      user: 'root',
      privateKeyPath: fixture('keys/id_ed25519'),
      knownHostsPath: fixture('connection/known_hosts'),
      hostKeyChecking: false,
      connectTimeoutMs: 10_000,
    });
  });

  it('prefers rosey_* over ansible_* names', () => {
    expect(inv.connectionSpec('rosey-style')).toMatchObject({ address: '192.0.2.2', user: 'admin', port: 2200, connectTimeoutMs: 2500, hostKeyChecking: true });
  });

  it('renders templates in connection variables', () => {
    expect(inv.connectionSpec('templated').address).toBe('192.0.2.7');
  });

  it('supports a local connection', () => {
    expect(inv.connectionSpec('local').kind).toBe('local');
  });

  it('defaults: the host name, port 22, the current user, host keys checked', () => {
    const spec = connectionSpec('h1', {});
    expect(spec).toMatchObject({ kind: 'ssh', address: 'h1', port: 22, user: userInfo().username, hostKeyChecking: true });
    expect(spec.privateKeyPath).toBeUndefined();
    expect(connectionSpec('h1', { ansible_password: secret('x'), rosey_user: secret('ops') }).user).toBe('ops');
  });

  it('turns host key checking off only for an explicit false', () => {
    expect(connectionSpec('h', { rosey_host_key_checking: 'false' }).hostKeyChecking).toBe(false);
    expect(connectionSpec('h', { ansible_host_key_checking: false }).hostKeyChecking).toBe(false);
    expect(connectionSpec('h', { ansible_host_key_checking: 'yes' }).hostKeyChecking).toBe(true);
    expect(connectionSpec('h', { rosey_host_key_checking: null }).hostKeyChecking).toBe(true);
  });

  it('points a bad value at the variable', async () => {
    const err = await userErrorOf(() => inv.connectionSpec('bad-port'));
    expect(err.diagnostics[0]!.summary).toBe('host "bad-port": ansible_port must be a port number (1-65535), got "twenty-two"');
    expect(err.diagnostics[0]!.source).toMatchObject({ line: 23, column: 21 });
    expect(err.diagnostics[0]!.source?.file).toMatch(/connection\/hosts\.yml$/);
  });

  it('suggests the connection type meant', async () => {
    const err = await userErrorOf(() => inv.connectionSpec('bad-kind'));
    expect(err.diagnostics[0]).toMatchObject({ summary: 'host "bad-kind": ansible_connection must be "ssh" or "local", got "sssh"', detail: 'Did you mean "ssh"?' });
    expect(err.diagnostics[0]!.source?.line).toBe(25);
  });

  it('refuses a host key setting that is neither true nor false', async () => {
    expect((await userErrorOf(() => inv.connectionSpec('bad-checking'))).diagnostics[0]!.summary).toContain('rosey_host_key_checking must be true or false, got "maybe"');
  });

  it('reports every bad value at once', async () => {
    const err = await userErrorOf(() => inv.connectionSpec('bad-many'));
    expect(err.diagnostics.map((d) => [d.source?.line, d.summary])).toEqual([
      [30, 'host "bad-many": ansible_host must be a non-empty string, got ""'],
      [29, 'host "bad-many": ansible_port must be a port number (1-65535), got 70000'],
    ]);
  });
});

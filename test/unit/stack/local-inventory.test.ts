import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chatSetup } from '../../../scripts/chat-server.js';
import { BRIDGE_ADDR, CLIENT_DIR, hostInfo } from '../../../scripts/testbed/config.js';
import { slotHosts } from '../../../scripts/testbed/local-inventory.js';
import { ROOT, vaultPasswordFile } from './render.js';

interface Hosts {
  all: { vars: Record<string, string>; children: Record<string, { hosts: Record<string, { ansible_host?: string } | null> }> };
}

describe('inventory/local for the active testbed slot', () => {
  const text = slotHosts(readFileSync(join(ROOT, 'inventory/local/hosts.yml'), 'utf8'));
  const inv = parse(text) as Hosts;

  it("names and addresses the slot's hosts, the chat server on its bridge, the dashboard on its third host", () => {
    const testbed = inv.all.children.testbed!.hosts;
    expect(Object.entries(testbed).map(([name, v]) => `${name} ${v?.ansible_host ?? ''}`)).toEqual([1, 2, 3].map((i) => `${hostInfo(i).name} ${hostInfo(i).address}`));
    expect(Object.keys(inv.all.children.bots!.hosts)).toEqual([hostInfo(1).name, hostInfo(2).name]);
    expect(inv.all.vars.bot_server).toBe(`http://${BRIDGE_ADDR}:8080`);
    expect(inv.all.vars.rosey_dashboard_url).toBe(`http://${hostInfo(3).address}:5000`);
  });

  it("uses the testbed's key and known_hosts by absolute path (the copy lives elsewhere)", () => {
    expect(inv.all.vars.ansible_ssh_private_key_file).toBe(join(CLIENT_DIR, 'id_ed25519'));
    expect(inv.all.vars.rosey_known_hosts_file).toBe(join(CLIENT_DIR, 'known_hosts'));
  });
});

describe('the chat server for inventory/local', () => {
  it("offers one account per bot, with the vault's password, in their channel, at bot_server's address", async () => {
    const s = await chatSetup(join(ROOT, 'inventory/local'), vaultPasswordFile('local'));
    expect(s).toEqual({ host: '10.231.77.1', port: 8080, channels: ['rosey'], accounts: { Rosey1: 'example-bot-password-local', Rosey2: 'example-bot-password-local' } });
  });
});

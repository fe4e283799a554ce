/**
 * The local CyTube stand-in (bot/testing/cytube-server.ts) for an
 * inventory's bots: one server at the address of their `bot_server`, with an
 * account per bot (its `bot_username` and the vault's `bot_password`) and
 * their channels. The demo runs it in the background; the end-to-end test
 * starts it in-process.
 *
 *   node --import tsx scripts/chat-server.ts -i inventory/local --vault-password-file FILE
 */
import { parseArgs } from 'node:util';
import { CytubeTestServer } from '../bot/testing/cytube-server.js';
import { loadInventory } from '../src/inventory/inventory.js';
import { buildScope } from '../src/runner/scope.js';
import { useVaultPassword } from '../src/vault/keyring.js';
import { readPasswordFile } from '../src/vault/password.js';
import { textOf } from '../src/vars/plain-data.js';

export interface ChatSetup {
  host: string;
  port: number;
  channels: string[];
  accounts: Record<string, string>;
}

/** What the chat server must offer the inventory's bots (group `bots`). */
export async function chatSetup(inventoryDir: string, vaultPasswordFile: string): Promise<ChatSetup> {
  useVaultPassword(() => readPasswordFile(vaultPasswordFile));
  const inventory = await loadInventory(inventoryDir);
  const setup: ChatSetup = { host: '', port: 0, channels: [], accounts: {} };
  for (const host of inventory.selectHosts('bots')) {
    const vars = buildScope([{ name: 'bot defaults', vars: { bot_password: '{{ vault_bot_password }}' } }, ...inventory.hostVarLayers(host)]);
    const url = new URL(textOf(vars.bot_server));
    setup.host = url.hostname;
    setup.port = Number(url.port || 80);
    const channel = textOf(vars.bot_channel);
    if (!setup.channels.includes(channel)) setup.channels.push(channel);
    setup.accounts[textOf(vars.bot_username)] = textOf(vars.bot_password);
  }
  if (!setup.host) throw new Error(`${inventoryDir}: no host in group bots`);
  return setup;
}

/** Start the server for an inventory's bots. */
export async function startChatServer(inventoryDir: string, vaultPasswordFile: string): Promise<CytubeTestServer> {
  const s = await chatSetup(inventoryDir, vaultPasswordFile);
  const server = new CytubeTestServer({ host: s.host, port: s.port, channels: s.channels, accounts: s.accounts });
  await server.start();
  return server;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { inventory: { type: 'string', short: 'i', default: 'inventory/local' }, 'vault-password-file': { type: 'string' } } });
  const pwFile = values['vault-password-file'] ?? process.env.ROSEY_VAULT_PASSWORD_FILE;
  if (!pwFile) throw new Error('--vault-password-file (or ROSEY_VAULT_PASSWORD_FILE) is needed to read the bots\' password');
  const server = await startChatServer(values.inventory ?? 'inventory/local', pwFile);
  const line = (o: object) => process.stdout.write(JSON.stringify({ time: new Date().toISOString(), ...o }) + '\n');
  line({ msg: 'cytube test server listening', url: server.url, channels: server.opts.channels, accounts: Object.keys(server.opts.accounts ?? {}) });
  server.on('chat', (channel, m) => line({ msg: 'chat', channel, user: m.username, text: m.msg }));
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(`chat-server: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}

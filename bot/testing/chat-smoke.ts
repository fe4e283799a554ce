/**
 * The chat smoke test of playbooks/verify.yml: a guest joins the bot's
 * channel, sends a command, and waits for the bot (by its user name) to
 * answer it. Exit 0 with the answer on stdout; exit 1 saying what was missing.
 *
 *   node --import tsx bot/testing/chat-smoke.ts --server URL --channel C --bot NAME [--command '!version'] [--expect TEXT] [--timeout 15]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { discoverSocketUrl } from '../src/cytube/socket-config.js';
import { ChatUser } from './chat-user.js';

const { values } = parseArgs({
  options: {
    server: { type: 'string' },
    channel: { type: 'string' },
    bot: { type: 'string' },
    command: { type: 'string', default: '!version' },
    expect: { type: 'string', default: '' },
    timeout: { type: 'string', default: '15' },
  },
});
const { server, channel, bot } = values;
if (!server || !channel || !bot) {
  console.error('chat-smoke: --server, --channel and --bot are required');
  process.exit(1);
}
const timeoutMs = Number(values.timeout) * 1000;
// A fresh guest name each run: CyTube refuses a name already in the channel.
const name = `smoke${randomBytes(3).toString('hex')}`;

async function main(): Promise<string> {
  const url = await discoverSocketUrl(server!, channel!, timeoutMs);
  const user = await ChatUser.join(url, channel!, name);
  try {
    const answer = user.waitFor((m) => m.username.toLowerCase() === bot!.toLowerCase() && m.msg.includes(values.expect ?? ''), timeoutMs);
    user.say(values.command ?? '!version');
    return (await answer).msg;
  } finally {
    user.close();
  }
}

main().then(
  (msg) => {
    console.log(msg);
    process.exit(0);
  },
  (e: unknown) => {
    console.error(`chat-smoke: ${name} sent ${values.command} in ${channel} on ${server}; no answer from ${bot}${values.expect ? ` containing "${values.expect}"` : ''}: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);

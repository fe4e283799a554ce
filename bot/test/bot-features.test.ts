import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatUser } from '../testing/chat-user.js';
import { BOT_NAME, CHANNEL, waitUntil, useHarness } from './helpers.js';

const t = useHarness();

const join = (name: string, password?: string): Promise<ChatUser> => t.join(name, password);

describe('rosey bot features', () => {
  it('answers a command sent by private message with a private message', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const alice = await join('alice');
    alice.socket.emit('pm', { to: BOT_NAME, msg: '!version', meta: {} });
    await waitUntil(() => alice.pms.some((m) => m.username === BOT_NAME), 'a PM from the bot');
    expect(alice.pms.find((m) => m.username === BOT_NAME)).toMatchObject({ msg: 'Rosey bot 9.9.9-test', to: 'alice' });
    expect(alice.messages.filter((m) => m.username === BOT_NAME)).toEqual([]);
  });

  it('enters a password-protected channel with the password from channel_password_env', async () => {
    const h = await t.start({ server: { channelPasswords: { [CHANNEL]: 'letmein' } }, channelPassword: 'letmein', config: { channel_password_env: 'CHAN_PW' } });
    await waitUntil(() => h.bot.health().connected && h.server.users(CHANNEL).includes(BOT_NAME), 'bot in the channel');
  });

  it('gives up on a wrong channel password with a clear message and the long delay', async () => {
    const h = await t.start({ server: { channelPasswords: { [CHANNEL]: 'letmein' } }, channelPassword: 'wrong', config: { channel_password_env: 'CHAN_PW' } });
    await waitUntil(() => h.logs.some((l) => l.reason === 'channel-password'), 'channel password refusal');
    expect(h.logs.find((l) => l.reason === 'channel-password')).toMatchObject({ detail: 'the channel password was refused', retry_in_ms: 30_000 });
    expect(h.bot.health().connected).toBe(false);
  });

  it('echoes markup as typed (the server makes it bold again) and lines up to 320 characters whole', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const alice = await join('alice');
    const markup = alice.waitFor((m) => m.username === BOT_NAME);
    alice.say('!echo *bold* _it_ `code`');
    expect((await markup).msg).toBe('<strong>bold</strong> <em>it</em> <code>code</code>');
    const long = alice.waitFor((m) => m.username === BOT_NAME && m.msg.startsWith('y'));
    alice.say(`!echo ${'y'.repeat(310)}`);
    expect((await long).msg).toBe('y'.repeat(310));
  });

  it('logs chat to data_dir/chat.log and learns it for !markov, saved on stop', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const alice = await join('alice');
    const reply = alice.waitFor((m) => m.username === BOT_NAME);
    alice.say('rosey likes <tea> & cake');
    alice.say('!markov rosey');
    expect((await reply).msg).toBe('rosey likes &lt;tea&gt; &amp; cake');
    await h.bot.stop();
    const log = readFileSync(joinPath(h.dataDir, 'chat.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(log.map((l) => [l.user, l.msg])).toEqual([
      ['alice', 'rosey likes <tea> & cake'],
      ['alice', '!markov rosey'],
    ]);
    const saved = JSON.parse(readFileSync(joinPath(h.dataDir, 'markov.json'), 'utf8')) as { version: number; states: unknown[] };
    expect(saved.version).toBe(1);
    expect(saved.states.length).toBeGreaterThan(0);
  });
});

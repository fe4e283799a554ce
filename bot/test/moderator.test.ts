import { describe, expect, it } from 'vitest';
import { ChatUser } from '../testing/chat-user.js';
import { BOT_NAME, CHANNEL, waitUntil, useHarness } from './helpers.js';

// CyTube lets a moderator (rank >= 2) into a password-protected channel
// without the password: `needPassword` false first, then, after the login,
// the join, with the chat history replayed after `login` (accesscontrol.js).

const t = useHarness();

const locked = { channelPasswords: { [CHANNEL]: 'letmein' } };
const fromBot = (m: { username: string }) => m.username === BOT_NAME;

describe('a moderator bot on a password-protected channel', () => {
  it('enters without channel_password_env', async () => {
    const h = await t.start({ server: { ...locked, ranks: { [BOT_NAME]: 2 } } });
    await waitUntil(() => h.bot.health().connected && h.server.users(CHANNEL).includes(BOT_NAME), 'bot in the channel');
    expect(h.logs.some((l) => l.reason === 'channel-password')).toBe(false);
  });

  it('does not answer the chat history replayed after its login', async () => {
    const h = await t.start({ server: { ...locked, ranks: { [BOT_NAME]: 2 } }, start: false });
    await h.server.start();
    const alice = await ChatUser.join(h.server.url, CHANNEL, 'alice', { channelPassword: 'letmein' });
    t.users.push(alice);
    alice.say('!version');
    alice.say('!help');
    await alice.waitFor((m) => m.msg === '!help');
    await h.bot.start();
    await waitUntil(() => h.server.users(CHANNEL).includes(BOT_NAME), 'bot in the channel');
    const marker = alice.waitFor((m) => fromBot(m) && m.msg.startsWith('Up '));
    alice.say('!uptime');
    await marker;
    expect(alice.messages.filter(fromBot).map((m) => m.msg)).toEqual([expect.stringMatching(/^Up /)]);
    expect(h.bot.health().requests).toBe(1);
  });

  it('judges a replayed line that arrives after the join by its timestamp: older than the join is history', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const alice = await ChatUser.join(h.server.url, CHANNEL, 'alice');
    t.users.push(alice);
    const line = (msg: string, ageMs: number) => ({ username: 'alice', msg, meta: {}, time: Date.now() - ageMs });
    h.server.sendRaw(CHANNEL, BOT_NAME, 'chatMsg', line('!version', 60_000)); // a minute before the join: history
    h.server.sendRaw(CHANNEL, BOT_NAME, 'chatMsg', line('!uptime', 0)); // now: live
    const reply = await alice.waitFor(fromBot);
    expect(reply.msg).toMatch(/^Up /);
    expect(h.bot.health().requests).toBe(1);
  });

  it('a bot that is no moderator there, without the password, gives up with the long delay', async () => {
    const h = await t.start({ server: locked });
    await waitUntil(() => h.logs.some((l) => l.reason === 'channel-password'), 'channel password refusal');
    expect(h.logs.find((l) => l.reason === 'channel-password')).toMatchObject({ retry_in_ms: 30_000 });
    expect(h.bot.health().connected).toBe(false);
    expect(h.server.users(CHANNEL)).toEqual([]);
  });
});

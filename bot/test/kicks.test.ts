import { describe, expect, it } from 'vitest';
import { ChatUser } from '../testing/chat-user.js';
import { BOT_NAME, BOT_PASSWORD, CHANNEL, metricValue, waitUntil, type Harness, useHarness } from './helpers.js';

// CyTube kicks for reasons of its own (channel.js, server.js, kickban.js):
// the bot tells them apart by the reason.

const t = useHarness();

const inChannel = () => t.h.bot.health().connected && t.h.server.users(CHANNEL).includes(BOT_NAME);

describe('kicks by reason', () => {
  it.each([
    ['reloads (Channel reloading)', (x: Harness) => x.server.reload(CHANNEL)],
    ['is unloaded (Channel shutting down)', (x: Harness) => x.server.unload(CHANNEL)],
  ])('rejoins at once when the channel %s, without the kick delay', async (_what, kick) => {
    const h = await t.start(); // kick_delay is 30 s: waitUntil gives up after 15
    await waitUntil(inChannel, 'bot in the channel');
    kick(h);
    await waitUntil(() => h.logs.some((l) => l.reason === 'channel-reload'), 'the reload logged');
    await waitUntil(inChannel, 'bot back in the channel');
    const line = h.logs.find((l) => l.reason === 'channel-reload')!;
    expect(line.level).toBe('warn');
    expect(line.retry_in_ms).toBeLessThan(1000);
    expect(metricValue(await h.metrics(), 'rosey_bot_errors_total{kind="kick"}')).toBe(0);
  });

  it('says loudly that another client took its account (Duplicate login) and does not fight back', async () => {
    const h = await t.start();
    await waitUntil(inChannel, 'bot in the channel');
    let logins = 0;
    h.server.on('login', (name, ok) => {
      if (name === BOT_NAME && ok) logins++;
    });
    t.users.push(await ChatUser.join(h.server.url, CHANNEL, BOT_NAME, { password: BOT_PASSWORD }));
    await waitUntil(() => h.logs.some((l) => l.reason === 'duplicate-login'), 'duplicate login logged');
    const line = h.logs.find((l) => l.reason === 'duplicate-login')!;
    expect(line).toMatchObject({ level: 'error', detail: 'Duplicate login', retry_in_ms: 30_000 });
    expect(line.msg).toMatch(/another client logged in as RoseyBot/);
    await new Promise((r) => setTimeout(r, 500)); // a bot fighting back would have logged in again by now
    expect(logins).toBe(1);
    expect((await h.health()).status).toBe(503);
    expect(metricValue(await h.metrics(), 'rosey_bot_errors_total{kind="login"}')).toBe(1);
  });

  it.each([
    ["a moderator's /kick", 'kicked', 'too chatty', async (mod: ChatUser) => mod.say(`/kick ${BOT_NAME} too chatty`)],
    ['a ban', 'kicked', "You're banned!", async (mod: ChatUser) => mod.say(`/ban ${BOT_NAME}`)],
  ])('keeps the long delay after %s', async (_what, reason, detail, act) => {
    const h = await t.start({ server: { accounts: { [BOT_NAME]: BOT_PASSWORD, Mod: 'modpw' }, ranks: { Mod: 3 } } });
    await waitUntil(inChannel, 'bot in the channel');
    const mod = await ChatUser.join(h.server.url, CHANNEL, 'Mod', { password: 'modpw' });
    t.users.push(mod);
    await act(mod);
    await waitUntil(() => h.logs.some((l) => l.reason === reason), 'kick logged');
    expect(h.logs.find((l) => l.reason === reason)).toMatchObject({ level: 'error', detail, retry_in_ms: 30_000 });
    expect(h.bot.health().connected).toBe(false);
  });
});

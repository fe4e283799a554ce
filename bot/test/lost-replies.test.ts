import { describe, expect, it } from 'vitest';
import type { ChatUser } from '../testing/chat-user.js';
import { BOT_NAME, BOT_PASSWORD, metricValue, waitUntil, useHarness } from './helpers.js';

// Replies the server refuses: a mute (`noflood`), the new-account chat delay
// (`spamFiltered`), the antiflood (`cooldown`, with the time to wait).

const t = useHarness();

const join = (name: string, password?: string): Promise<ChatUser> => t.join(name, password);

const fromBot = (m: { username: string }) => m.username === BOT_NAME;
const withMod = { accounts: { [BOT_NAME]: BOT_PASSWORD, Mod: 'modpw' }, ranks: { Mod: 2 } };

describe('replies the server refuses', () => {
  it('counts replies lost to a mute as errors and shows the mute in health, metrics and the log', async () => {
    const h = await t.start({ server: withMod });
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const mod = await join('Mod', 'modpw');
    const alice = await join('alice');
    mod.say(`/mute ${BOT_NAME}`);
    await waitUntil(() => h.bot.health().muted === true, 'bot sees its mute');
    alice.say('!version');
    await waitUntil(() => h.bot.health().errors === 1, 'the lost reply counted');
    expect(h.bot.health()).toMatchObject({ status: 'ok', muted: true, requests: 1, errors: 1 });
    const metrics = await h.metrics();
    expect(metricValue(metrics, 'rosey_bot_muted')).toBe(1);
    expect(metricValue(metrics, 'rosey_bot_errors_total{kind="muted"}')).toBe(1);
    expect(h.logs.find((l) => l.error_kind === 'muted')).toMatchObject({ level: 'error', reply: 'Rosey bot 9.9.9-test' });
    mod.say(`/unmute ${BOT_NAME}`);
    await waitUntil(() => h.bot.health().muted === false, 'bot sees the unmute');
    const reply = alice.waitFor(fromBot);
    alice.say('!version');
    expect((await reply).msg).toBe('Rosey bot 9.9.9-test');
    expect(metricValue(await h.metrics(), 'rosey_bot_muted')).toBe(0);
  });

  it("counts replies dropped by the channel's new-account chat delay (spamFiltered)", async () => {
    // The bot's account is a minute old; alice's (registered long ago) may chat. Guests count as new, as in CyTube.
    const server = { accounts: { [BOT_NAME]: BOT_PASSWORD, alice: 'alicepw' }, newUserChatDelayMs: 3_600_000, registeredAt: { [BOT_NAME]: Date.now() - 60_000 } };
    const h = await t.start({ server });
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const alice = await join('alice', 'alicepw');
    alice.say('!version');
    await waitUntil(() => h.bot.health().errors === 1, 'the lost reply counted');
    expect(metricValue(await h.metrics(), 'rosey_bot_errors_total{kind="filtered"}')).toBe(1);
    expect(h.logs.find((l) => l.error_kind === 'filtered')).toMatchObject({ reason: 'NEW_USER_CHAT' });
  });

  it("re-sends what the antiflood refused, after the cooldown the server names, when its pace is faster than the channel's", async () => {
    // The channel allows 2 lines, then 5/s; the bot is set to 3 lines, then 10/s.
    const h = await t.start({ server: { antiflood: { burst: 2, sustained: 5, cooldown: 2 } } });
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const crowd = await Promise.all(Array.from({ length: 6 }, (_, i) => join(`user${i}`)));
    let replies = 0;
    crowd[0]!.onChat((m) => {
      if (fromBot(m)) replies++;
    });
    for (const u of crowd) u.say('!version');
    for (const u of crowd) u.say('!uptime');
    await waitUntil(() => replies === 12, '12 replies', 30_000);
    expect(h.server.dropped.get(BOT_NAME) ?? 0).toBeGreaterThan(0);
    expect(h.bot.health()).toMatchObject({ requests: 12, errors: 0 });
    expect(metricValue(await h.metrics(), 'rosey_bot_send_retries_total')).toBe(h.server.dropped.get(BOT_NAME));
  });
});

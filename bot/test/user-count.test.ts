import { describe, expect, it } from 'vitest';
import { ChatUser } from '../testing/chat-user.js';
import { BOT_NAME, CHANNEL, metricValue, waitUntil, useHarness } from './helpers.js';

// CyTube sends `usercount` at most once per 10 s (USERCOUNT_THROTTLE) and
// counts anonymous viewers in it; the user list is exact and immediate.

const t = useHarness();

describe('user count', () => {
  it('takes user_count and !users from the user list, not from the throttled server count', async () => {
    const h = await t.start({ server: { usercountThrottleMs: 600_000 } });
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    await waitUntil(() => h.bot.health().server_user_count === 1, 'the first server count');
    const alice = await ChatUser.join(h.server.url, CHANNEL, 'alice');
    t.users.push(alice);
    const reply = alice.waitFor((m) => m.username === BOT_NAME);
    alice.say('!users');
    expect((await reply).msg).toBe(`2 in the channel: ${BOT_NAME}, alice`);
    expect(h.bot.health()).toMatchObject({ user_count: 2, server_user_count: 1 });
    expect(metricValue(await h.metrics(), 'rosey_bot_channel_users')).toBe(2);
  });

  it("reports the server's count, anonymous viewers included, as a field and metric of its own", async () => {
    const h = await t.start({ server: { usercountThrottleMs: 200 } });
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    t.users.push(await ChatUser.join(h.server.url, CHANNEL, 'alice'));
    t.users.push(await ChatUser.watch(h.server.url, CHANNEL));
    await waitUntil(() => h.bot.health().server_user_count === 3, 'server count with the viewer');
    expect(h.bot.health().user_count).toBe(2);
    expect(metricValue(await h.metrics(), 'rosey_bot_server_user_count')).toBe(3);
  });
});

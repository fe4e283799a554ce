import { describe, expect, it } from 'vitest';
import { ChatUser } from '../testing/chat-user.js';
import { fuzzEvents } from './fuzz-events.js';
import { BOT_NAME, CHANNEL, metricValue, waitUntil, useHarness } from './helpers.js';

// A malformed frame from the server is dropped and counted, never fatal.
// (An exception escaping a socket handler would fail the test run as an
// unhandled error, and in the real process end it with "internal error".)

const t = useHarness();

async function answersVersion(): Promise<void> {
  const alice = t.users[0]!;
  const reply = alice.waitFor((m) => m.username === BOT_NAME && m.msg.startsWith('Rosey bot'), 30_000);
  alice.say('!version');
  await reply;
}

describe('malformed server events', () => {
  it("drops and counts chatMsg with time 'NaN' (chat log on), pm without time and login null, and keeps working", async () => {
    const h = await t.start(); // features.logging is on in the harness
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    t.users.push(await ChatUser.join(h.server.url, CHANNEL, 'alice'));
    h.server.sendRaw(CHANNEL, BOT_NAME, 'chatMsg', { username: 'alice', msg: '!version', meta: {}, time: 'NaN' });
    h.server.sendRaw(CHANNEL, BOT_NAME, 'pm', { username: 'alice', msg: '!version', meta: {}, to: BOT_NAME });
    h.server.sendRaw(CHANNEL, BOT_NAME, 'login', null);
    await waitUntil(() => h.bot.health().invalid_events === 3, 'three events dropped');
    expect(h.bot.health()).toMatchObject({ status: 'ok', connected: true, errors: 3, requests: 0, user_count: 2 });
    expect(metricValue(await h.metrics(), 'rosey_bot_errors_total{kind="protocol"}')).toBe(3);
    expect(metricValue(await h.metrics(), 'rosey_bot_invalid_events_total{event="chatMsg"}')).toBe(1);
    expect(h.logs.find((l) => l.error_kind === 'protocol')).toMatchObject({ level: 'warn', event: 'chatMsg' });
    await answersVersion();
  });

  it('stays up with correct health through 3000 random and truncated events (seed 9)', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    t.users.push(await ChatUser.join(h.server.url, CHANNEL, 'alice'));
    await waitUntil(() => h.bot.health().user_count === 2, 'alice seen');
    const events = fuzzEvents(9, 3000);
    const bad = events.filter((e) => e.bad).length;
    expect(bad).toBeGreaterThan(2000);
    for (const e of events) h.server.sendRaw(CHANNEL, BOT_NAME, e.event, ...e.args);
    await waitUntil(() => h.bot.health().invalid_events === bad, `${bad} events dropped`, 30_000);
    const { status, body } = await h.health();
    expect(status).toBe(200);
    // Not one of them changed what the bot knows: same users, not muted, no request, only protocol errors.
    expect(body).toMatchObject({ status: 'ok', connected: true, user_count: 2, muted: false, requests: 0, errors: bad });
    expect([...h.bot.channel.users.keys()].sort()).toEqual(['alice', 'roseybot']);
    await answersVersion();
  });
});

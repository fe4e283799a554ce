import { describe, expect, it } from 'vitest';
import { ChatUser } from '../testing/chat-user.js';
import { BOT_NAME, BOT_PASSWORD, CHANNEL, metricValue, waitUntil, useHarness } from './helpers.js';

// The bot against the CyTube test server over real sockets on 127.0.0.1.

const t = useHarness();

const join = (name: string, password?: string): Promise<ChatUser> => t.join(name, password);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fromBot = (m: { username: string }) => m.username === BOT_NAME;

describe('rosey bot over a CyTube server', () => {
  it('logs in with its registered account and reports healthy', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const { status, body } = await h.health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', connected: true, channel: CHANNEL, version: '9.9.9-test', requests: 0, errors: 0, muted: false, invalid_events: 0 });
    expect(Object.keys(body).sort()).toEqual(['channel', 'connected', 'errors', 'invalid_events', 'muted', 'requests', 'server_user_count', 'status', 'uptime', 'user_count', 'version']);
    expect(h.server.users(CHANNEL)).toEqual([BOT_NAME]);
    const metrics = await h.metrics();
    expect(metricValue(metrics, 'rosey_bot_up')).toBe(1);
    expect(metricValue(metrics, 'rosey_bot_connected')).toBe(1);
    expect(metrics).toContain('rosey_bot_info{version="9.9.9-test",channel="testchan"} 1');
    for (const name of ['rosey_bot_uptime_seconds', 'rosey_bot_channel_users', 'rosey_bot_server_user_count', 'rosey_bot_muted', 'rosey_bot_invalid_events_total', 'rosey_bot_send_retries_total', 'rosey_bot_requests_total', 'rosey_bot_errors_total', 'rosey_bot_reconnects_total', 'rosey_bot_command_duration_seconds', 'process_resident_memory_bytes', 'process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds']) {
      expect(metrics).toContain(`# TYPE ${name} `);
    }
  });

  it('reports a refused login clearly, stays unhealthy and waits the long delay instead of retrying in a loop', async () => {
    const h = await t.start({ password: 'wrong' });
    let refusals = 0;
    h.server.on('login', (name, ok) => {
      if (name === BOT_NAME && !ok) refusals++;
    });
    await waitUntil(() => h.logs.some((l) => l.reason === 'login-refused'), 'login refusal logged');
    const line = h.logs.find((l) => l.reason === 'login-refused')!;
    expect(line).toMatchObject({ level: 'error', detail: 'Invalid username/password combination', retry_in_ms: 30_000 });
    expect(line.msg).toMatch(/login refused/);
    const { status, body } = await h.health();
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'unavailable', connected: false, errors: 1 });
    await new Promise((r) => setTimeout(r, 500)); // many short backoffs would fit in here
    expect(refusals).toBe(1);
    expect(metricValue(await h.metrics(), 'rosey_bot_errors_total{kind="login"}')).toBe(1);
  });

  it('answers its commands, counts them, and keeps toggled-off commands silent', async () => {
    const h = await t.start({ config: { features: { echo: false } } });
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const alice = await join('alice');
    const reply = (cmd: string) => {
      const p = alice.waitFor(fromBot);
      alice.say(cmd);
      return p.then((m) => m.msg);
    };
    expect(await reply('!version')).toBe('Rosey bot 9.9.9-test');
    expect(await reply('!help')).toBe('Commands: !help !uptime !version !users !markov');
    expect(await reply('!uptime')).toMatch(/^Up \d+s$/);
    expect(await reply('!users')).toBe(`2 in the channel: ${BOT_NAME}, alice`);
    alice.say('!echo should stay unanswered');
    await sleep(100); // alice is held to the channel antiflood too
    expect(await reply('!version')).toBe('Rosey bot 9.9.9-test');
    expect(alice.messages.filter(fromBot).map((m) => m.msg)).not.toContain('should stay unanswered');
    expect(h.bot.health().requests).toBe(5);
    expect(metricValue(await h.metrics(), 'rosey_bot_requests_total{command="version"}')).toBe(2);
  });

  it('never answers itself, even when made to say a command', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const alice = await join('alice');
    const echoed = alice.waitFor(fromBot);
    alice.say('!echo !version');
    expect((await echoed).msg).toBe('!version');
    alice.say('!uptime'); // a marker: once its reply is in, any answer to "!version" would be too
    await alice.waitFor((m) => fromBot(m) && m.msg.startsWith('Up '));
    expect(alice.messages.filter(fromBot).map((m) => m.msg)).toEqual(['!version', expect.stringMatching(/^Up /)]);
  });

  it('follows users joining and leaving in user_count', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    await waitUntil(() => h.bot.health().user_count === 1, 'bot alone');
    const a = await join('alice');
    const b = await join('bob');
    await waitUntil(() => h.bot.health().user_count === 3, 'three users');
    expect([...h.bot.channel.users.keys()].sort()).toEqual(['alice', 'bob', 'roseybot']);
    a.close();
    await waitUntil(() => h.bot.health().user_count === 2, 'alice left');
    expect(h.bot.channel.users.has('alice')).toBe(false);
    expect(metricValue(await h.metrics(), 'rosey_bot_channel_users')).toBe(2);
    b.close();
    await waitUntil(() => h.bot.health().user_count === 1, 'bob left');
  });

  it('answers a burst of 100 commands, none lost to the server antiflood', async () => {
    // Server: burst 4, then 20 lines/s. Bot: burst 3, then 10/s (the most CyTube ever allows), about 10 s.
    // The ten askers are moderators: CyTube holds them to its fixed limit (burst 20), so none of their
    // 10 lines is refused however the machine's load bunches them; only the bot meets the channel antiflood.
    const askers = Array.from({ length: 10 }, (_, i) => `user${i}`);
    const h = await t.start({
      server: { accounts: { [BOT_NAME]: BOT_PASSWORD, ...Object.fromEntries(askers.map((n) => [n, 'pw'])) }, ranks: Object.fromEntries(askers.map((n) => [n, 2])) },
    });
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const crowd = await Promise.all(askers.map(async (n) => {
      const u = await ChatUser.join(h.server.url, CHANNEL, n, { password: 'pw' });
      t.users.push(u);
      return u;
    }));
    let replies = 0;
    crowd[0]!.onChat((m) => {
      if (fromBot(m)) replies++;
    });
    for (let round = 0; round < 10; round++) {
      for (const [i, u] of crowd.entries()) u.say((round + i) % 2 ? '!version' : '!uptime');
      await sleep(60);
    }
    await waitUntil(() => replies === 100, '100 replies', 50_000);
    // The pacing itself is proven with fake timers in send-queue.test.ts. Here, on a busy machine, two
    // lines sent 100 ms apart can reach the server in the same tick and one be refused: it is sent again.
    expect(metricValue(await h.metrics(), 'rosey_bot_send_retries_total')).toBe(h.server.dropped.get(BOT_NAME) ?? 0);
    expect(h.bot.health()).toMatchObject({ requests: 100, errors: 0 });
  }, 60_000);

  it('reconnects after the server restarts: health goes 503 then 200 and the reconnect counter grows', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    expect((await h.health()).status).toBe(200);
    await h.server.stop();
    await waitUntil(async () => (await h.health()).status === 503, 'health 503 while the server is down');
    await new Promise((r) => setTimeout(r, 300)); // let a few attempts fail against the closed port
    await h.server.start();
    await waitUntil(async () => (await h.health()).status === 200, 'health 200 after the restart');
    expect(h.server.users(CHANNEL)).toEqual([BOT_NAME]);
    expect(metricValue(await h.metrics(), 'rosey_bot_reconnects_total')).toBeGreaterThanOrEqual(1);
    // and it still works
    const alice = await join('alice');
    const reply = alice.waitFor(fromBot);
    alice.say('!version');
    expect((await reply).msg).toBe('Rosey bot 9.9.9-test');
  });

  it('does not answer the chat history CyTube replays when it rejoins', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    const alice = await join('alice');
    const first = alice.waitFor(fromBot);
    alice.say('!version');
    await first;
    await h.server.restart();
    await waitUntil(() => h.bot.health().connected && h.server.users(CHANNEL).includes(BOT_NAME), 'bot back');
    const bob = await join('bob');
    const marker = bob.waitFor((m) => fromBot(m) && m.msg.startsWith('Up '));
    bob.say('!uptime');
    await marker;
    expect(bob.messages.filter(fromBot).map((m) => m.msg)).toEqual(['Rosey bot 9.9.9-test', expect.stringMatching(/^Up /)]);
    expect(h.bot.health().requests).toBe(2);
  });

  it('reports a kick and waits the long delay before rejoining', async () => {
    const h = await t.start();
    await waitUntil(() => h.bot.health().connected, 'bot connected');
    expect(h.server.kick(CHANNEL, BOT_NAME, 'too chatty')).toBe(true);
    await waitUntil(() => h.logs.some((l) => l.reason === 'kicked'), 'kick logged');
    expect(h.logs.find((l) => l.reason === 'kicked')).toMatchObject({ level: 'error', detail: 'too chatty', retry_in_ms: 30_000 });
    expect((await h.health()).status).toBe(503);
    expect(metricValue(await h.metrics(), 'rosey_bot_errors_total{kind="kick"}')).toBe(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ChatUser } from '../testing/chat-user.js';
import { CytubeTestServer } from '../testing/cytube-server.js';
import { waitUntil } from './helpers.js';

// The CyTube stand-in answers the way CyTube 3.x does, so the bot's tests (and the demo) mean something.

let server: CytubeTestServer | undefined;
const users: ChatUser[] = [];
afterEach(async () => {
  for (const u of users.splice(0)) u.close();
  await server?.stop();
});

async function start(opts: ConstructorParameters<typeof CytubeTestServer>[0] = {}): Promise<CytubeTestServer> {
  server = new CytubeTestServer({ accounts: { Owner: 'pw' }, ...opts });
  await server.start();
  return server;
}

async function join(name: string, password?: string): Promise<ChatUser> {
  const u = await ChatUser.join(server!.url, 'chan', name, { password });
  users.push(u);
  return u;
}

describe('CyTube test server', () => {
  it('serves /socketconfig/<channel>.json, and 404 for a channel that cannot exist', async () => {
    const s = await start({ channels: ['chan'] });
    const ok = await fetch(`${s.url}/socketconfig/chan.json`);
    expect(await ok.json()).toEqual({ servers: [{ url: s.url, secure: false }] });
    const missing = await fetch(`${s.url}/socketconfig/other.json`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Channel "other" does not exist.' });
  });

  it('logs in registered users with their password and refuses a wrong one or a guest taking the name', async () => {
    await start();
    await expect(join('owner', 'nope')).rejects.toThrow('Invalid username/password combination');
    await expect(join('Owner')).rejects.toThrow('That username is registered.');
    await expect(join('bad name')).rejects.toThrow(/Invalid username/);
    await join('owner', 'pw');
    await join('guest1');
    await expect(join('GUEST1')).rejects.toThrow('That name is already in use on this channel.');
    expect(server!.users('chan').sort()).toEqual(['Owner', 'guest1']);
  });

  it('broadcasts chat HTML-escaped and drops lines past the antiflood with a cooldown notice', async () => {
    await start({ antiflood: { burst: 2, sustained: 1, cooldown: 10 } });
    const a = await join('alice');
    const b = await join('bob');
    const cooldowns: number[] = [];
    a.socket.on('cooldown', (ms) => cooldowns.push(ms));
    const third = b.waitFor((m) => m.msg === 'after');
    a.say('<b>1</b>');
    a.say('2');
    a.say('3 dropped');
    b.say('after');
    await third;
    expect(b.messages.map((m) => `${m.username}: ${m.msg}`)).toEqual(['alice: &lt;b&gt;1&lt;/b&gt;', 'alice: 2', 'bob: after']);
    expect(server!.dropped.get('alice')).toBe(1);
    expect(cooldowns).toEqual([1000]);
  });

  it('keeps running state across a restart on the same port and replays recent chat to newcomers', async () => {
    const s = await start();
    const a = await join('alice');
    a.say('remember me');
    await a.waitFor((m) => m.msg === 'remember me');
    const port = s.port;
    await s.restart();
    expect(s.port).toBe(port);
    const b = await join('bob');
    await new Promise((r) => setTimeout(r, 100));
    expect(b.messages.map((m) => m.msg)).toContain('remember me');
  });

  it('applies the default chat filters and links the way CyTube does, after escaping', async () => {
    await start();
    const a = await join('alice');
    const seen = a.waitFor((m) => m.username === 'alice');
    a.say('*b* _i_ `c` ~~s~~ [sp]x[/sp] <u> (p) http://x.test/a_b_c');
    expect((await seen).msg).toBe(
      '<strong>b</strong> <em>i</em> <code>c</code> <s>s</s> <span class="spoiler">x</span> &lt;u&gt; (p) <a href="http://x.test/a_b_c" target="_blank">http://x.test/a_b_c</a>',
    );
  });

  it('asks everyone for the channel password, then lets a moderator in after login, replaying the chat after `login`', async () => {
    await start({ accounts: { Owner: 'pw', Mod: 'modpw' }, ranks: { Mod: 2 }, channelPasswords: { chan: 'secret' } });
    const a = await ChatUser.join(server!.url, 'chan', 'alice', { channelPassword: 'secret' });
    users.push(a);
    a.say('before');
    await a.waitFor((m) => m.msg === 'before');
    const { io } = await import('socket.io-client');
    const socket = io(server!.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const order: string[] = [];
    for (const e of ['needPassword', 'login', 'chatMsg', 'userlist', 'cancelNeedPassword']) socket.on(e, (d: unknown) => order.push(`${e}${e === 'needPassword' ? `:${String(d)}` : ''}`));
    socket.emit('joinChannel', { name: 'chan' });
    socket.emit('login', { name: 'Mod', pw: 'modpw' });
    await new Promise<void>((resolve) => socket.on('cancelNeedPassword', () => resolve()));
    socket.disconnect();
    expect(order).toEqual(['needPassword:false', 'login', 'chatMsg', 'userlist', 'cancelNeedPassword']);
  });

  it('throttles usercount like USERCOUNT_THROTTLE and counts anonymous viewers in it', async () => {
    await start({ usercountThrottleMs: 3000 });
    const a = await join('alice');
    const counts: number[] = [];
    a.socket.on('usercount', (n) => counts.push(n));
    users.push(await ChatUser.watch(server!.url, 'chan'));
    users.push(await ChatUser.watch(server!.url, 'chan'));
    await waitUntil(() => counts.length > 0, 'a usercount');
    expect(counts).toEqual([3]); // two joins inside alice's window: no count for either until its end, then one
  });

  it('kicks with CyTube\'s reasons: reload, unload, duplicate login', async () => {
    const s = await start();
    const reasons: string[] = [];
    const watch = async (name: string, password?: string) => {
      const u = await join(name, password);
      u.socket.on('kick', (d) => reasons.push(d.reason ?? ''));
      return u;
    };
    await watch('owner', 'pw');
    s.reload('chan');
    await watch('owner', 'pw');
    s.unload('chan');
    await watch('owner', 'pw');
    await join('owner', 'pw');
    await new Promise((r) => setTimeout(r, 100));
    expect(reasons).toEqual(['Channel reloading', 'Channel shutting down', 'Duplicate login']);
  });
});

import { Throttle } from './throttle.js';
import { kickSession, userData, type ServerContext, type Session, type TestChannel } from './server-model.js';

// Joining and leaving a channel, as CyTube's channel.js, accesscontrol.js and
// kickban.js do it.

const CHANNEL_RE = /^[\w-]{1,30}$/;
/** CyTube's USERCOUNT_THROTTLE (channel.js). */
export const USERCOUNT_THROTTLE_MS = 10_000;
/** Moderators (rank >= 2) enter a password-protected channel without the password. */
const MOD_RANK = 2;

export function channelExists(ctx: ServerContext, name: string): boolean {
  if (!CHANNEL_RE.test(name)) return false;
  const list = ctx.opts.channels ?? [];
  return list.length === 0 || list.includes(name.toLowerCase());
}

export function getChannel(ctx: ServerContext, name: string): TestChannel {
  let ch = ctx.channels.get(name);
  if (!ch) {
    const created: TestChannel = {
      name,
      sessions: new Set(),
      buffer: [],
      motd: '',
      muted: new Set(),
      banned: new Set(),
      // usercount counts every socket in the channel, anonymous viewers too, and is throttled.
      usercount: new Throttle(ctx.opts.usercountThrottleMs ?? USERCOUNT_THROTTLE_MS, () => ctx.io()?.to(name).emit('usercount', created.sessions.size)),
    };
    ctx.channels.set(name, created);
    ch = created;
  }
  return ch;
}

export function handleJoin(ctx: ServerContext, s: Session, data: unknown): void {
  const { name, pw } = (data ?? {}) as { name?: unknown; pw?: unknown };
  if (typeof name !== 'string') return;
  if (!channelExists(ctx, name)) {
    s.socket.emit('errorMsg', { msg: 'Invalid channel name.  Channel names may consist of 1-30 characters in the set a-z, A-Z, 0-9, -, and _' });
    return kickSession(s, 'Invalid channel name');
  }
  const ch = getChannel(ctx, name.toLowerCase());
  if (s.loggedIn && ch.banned.has(s.name.toLowerCase())) return kickSession(s, 'You are banned from this channel.');
  const password = ctx.opts.channelPasswords?.[ch.name];
  if (password === undefined || pw === password) return accept(ctx, s, ch);
  if (s.loggedIn && s.rank >= MOD_RANK) {
    accept(ctx, s, ch);
    return void s.socket.emit('cancelNeedPassword');
  }
  // Either a moderator's login (handled in onLoggedIn) or the right password lets the socket in.
  s.waitingFor = ch;
  s.socket.emit('needPassword', pw !== undefined);
  const check = (given: unknown) => {
    if (s.channel) return;
    if (given !== password) return void s.socket.emit('needPassword', true);
    s.socket.off('channelPassword', check);
    s.waitingFor = undefined;
    s.socket.emit('cancelNeedPassword');
    accept(ctx, s, ch);
  };
  s.socket.on('channelPassword', check);
}

/** A login completed: admit a moderator waiting at a channel password. True when that join happened now. */
export function onLoggedIn(ctx: ServerContext, s: Session): boolean {
  const ch = s.waitingFor;
  if (!ch || s.channel || s.rank < MOD_RANK) return false;
  s.waitingFor = undefined;
  accept(ctx, s, ch);
  s.socket.emit('cancelNeedPassword');
  return true;
}

/**
 * Channel.acceptUser: a logged-in user is announced first, then the chat
 * buffer is replayed (so on the moderator path above it comes after `login`),
 * then the channel state, the user list and the (throttled) count.
 */
function accept(ctx: ServerContext, s: Session, ch: TestChannel): void {
  if (!s.socket.connected) return;
  s.channel = ch;
  ch.sessions.add(s);
  void s.socket.join(ch.name);
  if (s.loggedIn) announce(ctx, s);
  if (!s.socket.connected) return;
  for (const msg of ch.buffer) s.socket.emit('chatMsg', msg);
  s.socket.emit('setMotd', ch.motd);
  if (ch.media) s.socket.emit('changeMedia', ch.media);
  s.socket.emit('userlist', [...ch.sessions].filter((u) => u.loggedIn).map((u) => userData(u, ch)));
  ch.usercount.call();
}

/** A login inside a channel: a banned name goes, older sessions with that name go ("Duplicate login"), everyone hears of the new one. */
export function announce(ctx: ServerContext, s: Session): void {
  const ch = s.channel;
  if (!ch) return;
  if (ch.banned.has(s.name.toLowerCase())) return kickSession(s, 'You are banned from this channel.');
  for (const other of ch.sessions) {
    if (other !== s && other.loggedIn && other.name.toLowerCase() === s.name.toLowerCase()) kickSession(other, 'Duplicate login');
  }
  ctx.io()?.to(ch.name).emit('addUser', userData(s, ch));
}

export function handleLeave(ctx: ServerContext, s: Session): void {
  const ch = s.channel;
  if (!ch || !ch.sessions.delete(s)) return;
  if (s.loggedIn) ctx.io()?.to(ch.name).emit('userLeave', { name: s.name });
  ch.usercount.call();
}

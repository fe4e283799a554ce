import type { ChatMessage } from '../src/cytube/protocol.js';
import { CHANNEL_ANTIFLOOD, type AntifloodParams } from './antiflood.js';
import { formatChat } from './chat-format.js';
import { findUser, kickSession, userData, type ServerContext, type Session, type TestChannel } from './server-model.js';

// Chat and private messages, as CyTube's chat.js and kickban.js handle them.

/** CyTube's fixed limiter for PMs and for moderators' chat (MIN_ANTIFLOOD in chat.js). */
const MIN_ANTIFLOOD: AntifloodParams = { burst: 20, sustained: 10 };
/** CyTube cuts chat lines and PMs at this length. */
export const CHAT_LIMIT = 320;
const BUFFER_SIZE = 15;

export function handleChat(ctx: ServerContext, s: Session, data: unknown): void {
  const ch = s.channel;
  const raw = (data as { msg?: unknown })?.msg;
  if (!ch || typeof raw !== 'string') return;
  // eslint-disable-next-line no-control-regex -- CyTube strips exactly these
  const text = raw.slice(0, CHAT_LIMIT).replace(/[\x00-\x1f]+/g, ' ');
  if (!text.trim() || !s.loggedIn) return;
  const delay = ctx.opts.newUserChatDelayMs ?? 0;
  if (delay > 0 && s.registeredAt > Date.now() - delay) return void s.socket.emit('spamFiltered', { reason: 'NEW_USER_CHAT' });
  const antiflood = s.rank >= 2 ? MIN_ANTIFLOOD : (ctx.opts.antiflood ?? CHANNEL_ANTIFLOOD);
  if (s.limiter.throttle(antiflood)) {
    ctx.dropped.set(s.name, (ctx.dropped.get(s.name) ?? 0) + 1);
    ctx.emit('dropped', ch.name, s.name, text);
    return void s.socket.emit('cooldown', 1000 / antiflood.sustained);
  }
  if (text.startsWith('/') && modCommand(ctx, s, ch, text)) return;
  if (ch.muted.has(s.name.toLowerCase())) return void s.socket.emit('noflood', { action: 'chat', msg: 'You have been muted on this channel.' });
  const msg: ChatMessage = { username: s.name, msg: formatChat(text), meta: {}, time: Date.now() };
  ctx.io()?.to(ch.name).emit('chatMsg', msg);
  ch.buffer.push(msg);
  if (ch.buffer.length > BUFFER_SIZE) ch.buffer.shift();
  ctx.emit('chat', ch.name, msg);
}

export function handlePm(s: Session, data: unknown): void {
  const { to, msg } = (data ?? {}) as { to?: unknown; msg?: unknown };
  if (!s.channel || typeof to !== 'string' || typeof msg !== 'string') return;
  if (!s.loggedIn) return void s.socket.emit('errorMsg', { msg: 'You must be signed in to send PMs' });
  if (to.toLowerCase() === s.name.toLowerCase()) return void s.socket.emit('errorMsg', { msg: "You can't PM yourself!" });
  if (s.limiter.throttle(MIN_ANTIFLOOD)) return void s.socket.emit('cooldown', 1000 / MIN_ANTIFLOOD.sustained);
  const target = findUser(s.channel, to);
  if (!target) return void s.socket.emit('errorMsg', { msg: `PM failed: ${to.toLowerCase()} isn't connected to this channel.` });
  const pm = { username: s.name, msg: formatChat(msg.slice(0, CHAT_LIMIT)), meta: {}, time: Date.now(), to: target.name };
  target.socket.emit('pm', pm);
  s.socket.emit('pm', pm);
}

/** /kick NAME [reason], /ban NAME, /mute NAME, /unmute NAME: moderators over lower ranks. True when handled. */
function modCommand(ctx: ServerContext, s: Session, ch: TestChannel, text: string): boolean {
  const [cmd, name, ...rest] = text.split(' ');
  if (!['/kick', '/ban', '/mute', '/unmute'].includes(cmd ?? '')) return false;
  const target = name ? findUser(ch, name) : undefined;
  if (s.rank < 2 || !target) return true;
  if (target.rank >= s.rank) {
    s.socket.emit('errorMsg', { msg: `You do not have permission to ${cmd?.slice(1)} ${target.name}` });
    return true;
  }
  if (cmd === '/kick') kickSession(target, rest.join(' '));
  else if (cmd === '/ban') banUser(ch, target.name);
  else setMuted(ctx, ch, target.name, cmd === '/mute');
  return true;
}

/** A name ban: the user goes now ("You're banned!") and is turned away on return. */
export function banUser(ch: TestChannel, name: string): void {
  ch.banned.add(name.toLowerCase());
  const s = findUser(ch, name);
  if (s) kickSession(s, "You're banned!");
}

/** /mute: everyone is told through setUserMeta; the user's chat is answered with `noflood` from now on. */
export function setMuted(ctx: ServerContext, ch: TestChannel, name: string, muted: boolean): void {
  if (muted) ch.muted.add(name.toLowerCase());
  else ch.muted.delete(name.toLowerCase());
  const s = findUser(ch, name);
  if (s) ctx.io()?.to(ch.name).emit('setUserMeta', { name: s.name, meta: userData(s, ch).meta ?? {} });
}

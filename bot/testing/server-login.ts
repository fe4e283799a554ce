import { announce, onLoggedIn } from './server-channel.js';
import { findUser, type ServerContext, type Session } from './server-model.js';

// Logging in, as CyTube's user.js does it: a registered account with its
// password, or a guest name without one. Login is per socket, not per
// channel: it may come before or after joinChannel.

const NAME_RE = /^[\w-]{1,20}$/;
const lastGuestLogin = new WeakMap<ServerContext, Map<string, number>>();

export function handleLogin(ctx: ServerContext, s: Session, data: unknown): void {
  if (typeof data !== 'object' || data === null) return void s.socket.emit('errorMsg', { msg: 'Invalid login frame' });
  const { name, pw } = data as { name?: unknown; pw?: unknown };
  if (typeof name !== 'string' || s.loggedIn) return;
  const refuse = (error: string) => {
    s.socket.emit('login', { success: false, error });
    ctx.emit('login', name, false);
  };
  const accounts = ctx.opts.accounts ?? {};
  const account = Object.keys(accounts).find((a) => a.toLowerCase() === name.toLowerCase());
  if (typeof pw === 'string' && pw !== '') {
    if (account === undefined || accounts[account] !== pw) return refuse('Invalid username/password combination');
    return loggedIn(ctx, s, account, ctx.opts.ranks?.[account] ?? 1, false);
  }
  const ip = s.socket.handshake.address;
  const delay = ctx.opts.guestLoginDelayMs ?? 0;
  const last = lastGuestLogin.get(ctx) ?? new Map<string, number>();
  lastGuestLogin.set(ctx, last);
  if (delay > 0 && Date.now() - (last.get(ip) ?? -Infinity) < delay) {
    return refuse(`Guest logins are restricted to one per IP address per ${delay / 1000} seconds.`);
  }
  if (!NAME_RE.test(name)) return refuse('Invalid username.  Usernames must be 1-20 characters long and consist only of characters a-z, A-Z, 0-9, -, or _.');
  if (account !== undefined) return refuse('That username is registered.');
  if (findUser(s.channel, name)) return refuse('That name is already in use on this channel.');
  last.set(ip, Date.now());
  loggedIn(ctx, s, name, 0, true);
}

function loggedIn(ctx: ServerContext, s: Session, name: string, rank: number, guest: boolean): void {
  s.name = name;
  s.rank = rank;
  s.loggedIn = true;
  s.registeredAt = guest ? Date.now() : (ctx.opts.registeredAt?.[name] ?? 0);
  s.socket.emit('rank', rank);
  s.socket.emit('login', { success: true, name, guest });
  ctx.emit('login', name, true);
  // Either the join was waiting for this login (a moderator on a password-protected channel), or it is done already.
  if (!onLoggedIn(ctx, s) && s.channel) announce(ctx, s);
}

import type { Server, Socket } from 'socket.io';
import type { ChatMessage, ClientToServerEvents, MediaData, ServerToClientEvents, UserData } from '../src/cytube/protocol.js';
import type { Antiflood, AntifloodParams } from './antiflood.js';
import type { Throttle } from './throttle.js';

// The state of the CyTube stand-in, shared by its parts (login, channel, chat).

export interface TestServerOptions {
  host?: string;
  /** 0 picks a free port on the first start; restarts reuse it. */
  port?: number;
  /** Registered accounts: name -> password. */
  accounts?: Record<string, string>;
  /** Rank of a registered account in every channel (CyTube: 1 user, 2 moderator, 3 admin); 1 unless given. */
  ranks?: Record<string, number>;
  /** When an account was registered (ms since the epoch); long ago unless given. */
  registeredAt?: Record<string, number>;
  /** Channels that exist; empty means any valid name (CyTube creates channels on join). */
  channels?: string[];
  channelPasswords?: Record<string, string>;
  /** The per-user chat limiter; CyTube's channel default unless given. */
  antiflood?: AntifloodParams;
  /** CyTube's guest-login-delay per IP; 0 here so many test users can join from 127.0.0.1. */
  guestLoginDelayMs?: number;
  /** CyTube's new_user_chat_delay: accounts younger than this may not chat (`spamFiltered`). 0: off, as by default. */
  newUserChatDelayMs?: number;
  /** CyTube's USERCOUNT_THROTTLE: one `usercount` broadcast per this many ms (10 s in CyTube). */
  usercountThrottleMs?: number;
}

export interface ServerEvents {
  chat: [channel: string, msg: ChatMessage];
  dropped: [channel: string, username: string, msg: string];
  login: [name: string, ok: boolean];
}

export type ServerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** One socket: anonymous until it logs in (CyTube counts it in `usercount` all the same). */
export interface Session {
  socket: ServerSocket;
  name: string;
  rank: number;
  loggedIn: boolean;
  registeredAt: number;
  channel?: TestChannel;
  /** A join held back by the channel password until a moderator's login admits it. */
  waitingFor?: TestChannel;
  /** CyTube keeps one limiter per user for chat and PMs alike (user.chatLimiter). */
  limiter: Antiflood;
}

export interface TestChannel {
  name: string;
  sessions: Set<Session>;
  buffer: ChatMessage[];
  motd: string;
  media?: MediaData;
  /** Lower-case names muted with /mute: they keep their place in the channel but their chat is dropped. */
  muted: Set<string>;
  banned: Set<string>;
  usercount: Throttle;
}

/** What the parts of the server reach of the whole. */
export interface ServerContext {
  readonly opts: TestServerOptions;
  readonly channels: Map<string, TestChannel>;
  readonly dropped: Map<string, number>;
  io(): Server<ClientToServerEvents, ServerToClientEvents> | undefined;
  emit<E extends keyof ServerEvents>(event: E, ...args: ServerEvents[E]): boolean;
}

export function userData(s: Session, ch: TestChannel | undefined): UserData & { profile: { image: string; text: string } } {
  const muted = ch?.muted.has(s.name.toLowerCase()) ?? false;
  return { name: s.name, rank: s.rank, profile: { image: '', text: '' }, meta: { afk: false, muted } };
}

/** A session in the channel logged in under `name` (any case). */
export function findUser(ch: TestChannel | undefined, name: string): Session | undefined {
  for (const s of ch?.sessions ?? []) if (s.loggedIn && s.name.toLowerCase() === name.toLowerCase()) return s;
  return undefined;
}

/** CyTube's User.prototype.kick: say why, then drop the connection. */
export function kickSession(s: Session, reason: string): void {
  s.socket.emit('kick', { reason });
  s.socket.disconnect(true);
}

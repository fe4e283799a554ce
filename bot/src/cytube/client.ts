import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import type { Secret } from '../config/secrets.js';
import type { Logger } from '../observe/log.js';
import { Backoff } from './backoff.js';
import type { ChatMessage, ClientToServerEvents, LoginResult, ServerToClientEvents } from './protocol.js';
import { discoverSocketUrl } from './socket-config.js';

export interface ClientOptions {
  server: string;
  channel: string;
  username: string;
  password: Secret;
  channelPassword?: Secret;
  timeoutMs: number;
  reconnect: { initialMs: number; maxMs: number; kickMs: number };
}

/** Why a session ended; decides how long to wait before the next one. */
export type SessionEnd =
  | { kind: 'connect-failed'; detail: string }
  | { kind: 'timeout'; detail: string }
  | { kind: 'disconnected'; detail: string }
  | { kind: 'kicked'; detail: string }
  | { kind: 'login-refused'; detail: string }
  | { kind: 'channel-password'; detail: string };

/** Ends that a quick retry will not fix: wait the long kick delay, not a tight loop. */
const LONG_WAIT: ReadonlySet<SessionEnd['kind']> = new Set(['kicked', 'login-refused', 'channel-password']);

export type ClientState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'stopped';

type BotSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The server events the bot layer listens to, forwarded unchanged (chatMsg gets a history flag). */
export interface ClientEvents {
  connected: [name: string];
  ended: [end: SessionEnd, retryInMs: number];
  attempt: [number: number];
  chatMsg: [msg: ChatMessage, history: boolean];
  pm: Parameters<ServerToClientEvents['pm']>;
  userlist: Parameters<ServerToClientEvents['userlist']>;
  addUser: Parameters<ServerToClientEvents['addUser']>;
  userLeave: Parameters<ServerToClientEvents['userLeave']>;
  usercount: Parameters<ServerToClientEvents['usercount']>;
  changeMedia: Parameters<ServerToClientEvents['changeMedia']>;
  setMotd: Parameters<ServerToClientEvents['setMotd']>;
  rank: Parameters<ServerToClientEvents['rank']>;
  errorMsg: Parameters<ServerToClientEvents['errorMsg']>;
  cooldown: Parameters<ServerToClientEvents['cooldown']>;
}

const FORWARDED = ['pm', 'userlist', 'addUser', 'userLeave', 'usercount', 'changeMedia', 'setMotd', 'rank', 'errorMsg', 'cooldown'] as const;

/**
 * One CyTube channel membership kept alive: discover, connect, join, log in,
 * and after any end of session wait (backoff, or the long delay after a kick
 * or refused login) and start again, until stop().
 */
export class CytubeClient extends EventEmitter<ClientEvents> {
  #state: ClientState = 'idle';
  #socket: BotSocket | undefined;
  #timer: NodeJS.Timeout | undefined;
  #attempts = 0;
  #name = '';
  readonly #backoff: Backoff;
  /** Lines already seen, so the chat buffer CyTube replays on join is not answered twice. */
  readonly #seen = new Set<string>();

  constructor(
    private readonly opts: ClientOptions,
    private readonly log: Logger,
  ) {
    super();
    this.#backoff = new Backoff(opts.reconnect.initialMs, opts.reconnect.maxMs);
  }

  get state(): ClientState {
    return this.#state;
  }

  get connected(): boolean {
    return this.#state === 'connected';
  }

  /** The name the server logged us in as (case as the server spells it). */
  get name(): string {
    return this.#name;
  }

  start(): void {
    if (this.#state !== 'idle') return;
    void this.#connect();
  }

  stop(): void {
    this.#state = 'stopped';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#dropSocket();
  }

  /** Send a chat line, or a private message when `to` is given; false when not connected. */
  send(text: string, to?: string): boolean {
    if (this.#state !== 'connected' || !this.#socket) return false;
    if (to === undefined) this.#socket.emit('chatMsg', { msg: text, meta: {} });
    else this.#socket.emit('pm', { to, msg: text, meta: {} });
    return true;
  }

  async #connect(): Promise<void> {
    this.#state = 'connecting';
    this.#attempts++;
    this.emit('attempt', this.#attempts);
    let url: string;
    try {
      url = await discoverSocketUrl(this.opts.server, this.opts.channel, this.opts.timeoutMs);
    } catch (err) {
      return this.#end({ kind: 'connect-failed', detail: describe(err) });
    }
    if (this.#state !== 'connecting') return;
    this.log.debug('socket config', { url });
    const socket: BotSocket = io(url, {
      reconnection: false,
      forceNew: true,
      timeout: this.opts.timeoutMs,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
    });
    this.#socket = socket;
    this.#wire(socket);
  }

  #wire(socket: BotSocket): void {
    let kickReason: string | undefined;
    let loginTimer: NodeJS.Timeout | undefined;
    let triedChannelPassword = false;
    const ended = () => socket !== this.#socket;

    socket.on('connect', () => {
      socket.emit('joinChannel', { name: this.opts.channel });
      socket.emit('login', { name: this.opts.username, pw: this.opts.password.reveal() });
      loginTimer = setTimeout(() => {
        if (!ended()) this.#end({ kind: 'timeout', detail: `no login answer within ${this.opts.timeoutMs} ms` });
      }, this.opts.timeoutMs);
    });
    socket.on('connect_error', (err) => {
      clearTimeout(loginTimer);
      if (!ended()) this.#end({ kind: 'connect-failed', detail: err.message });
    });
    socket.on('login', (result: LoginResult) => {
      clearTimeout(loginTimer);
      if (ended()) return;
      if (!result.success) return this.#end({ kind: 'login-refused', detail: result.error });
      this.#name = result.name;
      this.#state = 'connected';
      this.#backoff.reset();
      this.emit('connected', result.name);
    });
    socket.on('needPassword', (wrong) => {
      if (ended()) return;
      const pw = this.opts.channelPassword;
      if (!pw || (wrong && triedChannelPassword)) {
        return this.#end({ kind: 'channel-password', detail: pw ? 'the channel password was refused' : 'the channel needs a password and channel_password_env is not set' });
      }
      triedChannelPassword = true;
      socket.emit('channelPassword', pw.reveal());
    });
    socket.on('kick', (data) => {
      kickReason = typeof data?.reason === 'string' ? data.reason : 'no reason given';
    });
    socket.on('disconnect', (reason) => {
      clearTimeout(loginTimer);
      if (ended()) return;
      this.#end(kickReason !== undefined ? { kind: 'kicked', detail: kickReason } : { kind: 'disconnected', detail: reason });
    });
    socket.on('chatMsg', (msg) => {
      if (!ended()) this.#onChat(msg);
    });
    for (const event of FORWARDED) {
      socket.on(event, (...args: unknown[]) => {
        if (!ended()) (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
      });
    }
  }

  #onChat(msg: ChatMessage): void {
    if (!msg || typeof msg.username !== 'string' || typeof msg.msg !== 'string') return;
    const key = `${msg.time}|${msg.username}|${msg.msg}`;
    const seen = this.#seen.has(key);
    this.#seen.add(key);
    if (this.#seen.size > 256) this.#seen.delete(this.#seen.values().next().value as string);
    // Before the login answer, lines are CyTube's replay of recent chat.
    this.emit('chatMsg', msg, seen || this.#state !== 'connected');
  }

  #dropSocket(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
  }

  #end(end: SessionEnd): void {
    if (this.#state === 'stopped') return;
    this.#dropSocket();
    this.#state = 'waiting';
    const delay = LONG_WAIT.has(end.kind) ? this.opts.reconnect.kickMs : this.#backoff.next();
    this.emit('ended', end, delay);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#state === 'waiting') void this.#connect();
    }, delay);
  }
}

/** fetch() says only "fetch failed"; the cause (ECONNREFUSED, a timeout) is what an operator needs. */
function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no answer within the timeout: ${e.message}`;
  const cause = e?.cause ? `: ${e.cause.code ?? e.cause.message ?? String(e.cause)}` : '';
  return `${e?.message ?? String(err)}${cause}`;
}

import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import type { Secret } from '../config/secrets.js';
import type { Logger } from '../observe/log.js';
import { Backoff } from './backoff.js';
import { isValidEvent, SERVER_EVENTS, type ChatMessage, type ClientToServerEvents, type ServerEventData, type ServerEventName, type ServerToClientEvents } from './protocol.js';
import { END_WAIT, kickEnd, type SessionEnd } from './session-end.js';
import { discoverSocketUrl } from './socket-config.js';

export type { SessionEnd } from './session-end.js';

export interface ClientOptions {
  server: string;
  channel: string;
  username: string;
  password: Secret;
  channelPassword?: Secret;
  timeoutMs: number;
  reconnect: { initialMs: number; maxMs: number; kickMs: number };
}

export type ClientState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'stopped';

type BotSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Events the client handles itself (login, needPassword, kick, chatMsg); the rest are passed on once checked. */
type Forwarded = Exclude<ServerEventName, 'login' | 'needPassword' | 'kick' | 'chatMsg'>;

/** Server events the bot layer listens to, checked against their schema (chatMsg gets a history flag). */
export type ClientEvents = { [E in Forwarded]: [data: ServerEventData[E]] } & {
  connected: [name: string];
  ended: [end: SessionEnd, retryInMs: number];
  attempt: [number: number];
  chatMsg: [msg: ChatMessage, history: boolean];
  /** A frame whose payload is not what the real server sends: dropped. */
  invalid: [event: string, data: unknown];
};

/**
 * Server clocks drift from ours. A chat line stamped this much before our
 * join is replayed history whenever it arrives; one stamped closer to the
 * join is judged by when it arrives (before the join: history).
 */
const CLOCK_SKEW_MS = 2000;

/** The state of one socket's session. */
interface Session {
  socket: BotSocket;
  loggedIn: boolean;
  /** The server put us in the channel: it sends the user list last when it does (Channel.acceptUser). */
  joined: boolean;
  kickReason?: string;
  /** The channel wants a password we do not have: we wait to see if it lets a moderator in after login. */
  waitingForModerator: boolean;
  triedChannelPassword: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * One CyTube channel membership kept alive: discover, connect, join, log in,
 * and after any end of session wait (backoff, at once after a channel
 * reload, the long delay after a kick or refused login) and start again,
 * until stop(). Connected means logged in and in the channel.
 */
export class CytubeClient extends EventEmitter<ClientEvents> {
  #state: ClientState = 'idle';
  #session: Session | undefined;
  #timer: NodeJS.Timeout | undefined;
  #attempts = 0;
  #name = '';
  #joinedAt = 0;
  readonly #backoff: Backoff;
  /** Lines already seen, so chat replayed on a rejoin is not answered twice. */
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
    const socket = this.#session?.socket;
    if (this.#state !== 'connected' || !socket) return false;
    if (to === undefined) socket.emit('chatMsg', { msg: text, meta: {} });
    else socket.emit('pm', { to, msg: text, meta: {} });
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
    const socket: BotSocket = io(url, { reconnection: false, forceNew: true, timeout: this.opts.timeoutMs, transports: ['websocket', 'polling'], tryAllTransports: true });
    const session: Session = { socket, loggedIn: false, joined: false, waitingForModerator: false, triedChannelPassword: false };
    this.#session = session;
    this.#wire(session);
  }

  #wire(s: Session): void {
    const { socket } = s;
    const live = () => s === this.#session;
    socket.on('connect', () => {
      socket.emit('joinChannel', { name: this.opts.channel });
      socket.emit('login', { name: this.opts.username, pw: this.opts.password.reveal() });
      this.#armTimer(s);
    });
    socket.on('connect_error', (err) => {
      if (live()) this.#end({ kind: 'connect-failed', detail: err.message });
    });
    socket.on('disconnect', (reason) => {
      if (live()) this.#end(s.kickReason !== undefined ? kickEnd(s.kickReason) : { kind: 'disconnected', detail: reason });
    });
    socket.on('cancelNeedPassword', () => {
      s.waitingForModerator = false;
    });
    for (const event of Object.keys(SERVER_EVENTS) as ServerEventName[]) {
      socket.on(event, (data: unknown) => {
        if (!live()) return;
        if (!isValidEvent(event, data)) return void this.emit('invalid', event, data);
        this.#dispatch(s, event, data);
      });
    }
  }

  #dispatch<E extends ServerEventName>(s: Session, event: E, data: ServerEventData[E]): void {
    if (event === 'login') return this.#onLogin(s, data as ServerEventData['login']);
    if (event === 'needPassword') return this.#onNeedPassword(s, data as boolean);
    if (event === 'kick') return void (s.kickReason = (data as ServerEventData['kick']).reason ?? '');
    if (event === 'chatMsg') return this.#onChat(data as ChatMessage);
    if (event === 'userlist') {
      s.joined = true;
      this.#maybeConnected(s);
    }
    (this.emit as (e: string, ...a: unknown[]) => boolean)(event, data);
  }

  #onLogin(s: Session, result: ServerEventData['login']): void {
    if (s.loggedIn) return this.log.debug('ignoring a second login answer', { success: result.success });
    if (!result.success) return this.#end({ kind: 'login-refused', detail: result.error });
    s.loggedIn = true;
    this.#name = result.name;
    // The server answers a moderator's login by letting it into the password-protected channel, or says nothing more.
    if (s.waitingForModerator) this.#armTimer(s);
    this.#maybeConnected(s);
  }

  #onNeedPassword(s: Session, wrong: boolean): void {
    if (s.joined) return;
    const pw = this.opts.channelPassword;
    if (pw && wrong && s.triedChannelPassword) return this.#end({ kind: 'channel-password', detail: 'the channel password was refused' });
    if (pw) {
      s.triedChannelPassword = true;
      return void s.socket.emit('channelPassword', pw.reveal());
    }
    // CyTube asks everyone first and lets rank >= 2 in after the login (accesscontrol.js): wait for that.
    s.waitingForModerator = true;
    this.#armTimer(s);
  }

  #maybeConnected(s: Session): void {
    if (!s.loggedIn || !s.joined || this.#state !== 'connecting') return;
    clearTimeout(s.timer);
    this.#state = 'connected';
    this.#joinedAt = Date.now();
    this.#backoff.reset();
    this.emit('connected', this.#name);
  }

  /** (Re)start the wait for the join: timeoutMs from now, or the session ends. */
  #armTimer(s: Session): void {
    clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      if (s !== this.#session || this.#state !== 'connecting') return;
      if (s.waitingForModerator && s.loggedIn) {
        return this.#end({ kind: 'channel-password', detail: 'the channel needs a password, channel_password_env is not set and the account is no moderator there' });
      }
      this.#end({ kind: 'timeout', detail: `not in the channel within ${this.opts.timeoutMs} ms (logged in: ${s.loggedIn})` });
    }, this.opts.timeoutMs);
  }

  #onChat(msg: ChatMessage): void {
    const key = `${msg.time}|${msg.username}|${msg.msg}`;
    const seen = this.#seen.has(key);
    this.#seen.add(key);
    if (this.#seen.size > 256) this.#seen.delete(this.#seen.values().next().value as string);
    // CyTube replays its chat buffer on join: before the join completes, or stamped well before it, a line is history.
    const history = seen || !this.connected || msg.time < this.#joinedAt - CLOCK_SKEW_MS;
    this.emit('chatMsg', msg, history);
  }

  #dropSocket(): void {
    const s = this.#session;
    this.#session = undefined;
    if (s) {
      clearTimeout(s.timer);
      s.socket.removeAllListeners();
      s.socket.disconnect();
    }
  }

  #end(end: SessionEnd): void {
    if (this.#state === 'stopped') return;
    this.#dropSocket();
    this.#state = 'waiting';
    const wait = END_WAIT[end.kind];
    const backoff = wait === 'backoff' || (wait === 'at-once' && this.#backoff.attempt > 0) ? this.#backoff.next() : 0;
    const delay = wait === 'long' ? this.opts.reconnect.kickMs : backoff;
    // A reload right after a reload waits the backoff: a channel that cannot stay loaded is not hammered.
    if (wait === 'at-once' && delay === 0) this.#backoff.next();
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

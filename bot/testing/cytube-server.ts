import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Server, type Socket } from 'socket.io';
import type { ChatMessage, ClientToServerEvents, MediaData, ServerToClientEvents, UserData } from '../src/cytube/protocol.js';
import { Antiflood, CHANNEL_ANTIFLOOD, type AntifloodParams } from './antiflood.js';

// A CyTube stand-in for tests and the local demo, written from CyTube 3.x's
// protocol (calzoneman/sync): GET /socketconfig/<channel>.json, then
// socket.io 4 with joinChannel / login / chatMsg / pm, the same answers,
// the same chat antiflood, and a stop/start that keeps its port.

export interface TestServerOptions {
  host?: string;
  /** 0 picks a free port on the first start; restarts reuse it. */
  port?: number;
  /** Registered accounts: name -> password. */
  accounts?: Record<string, string>;
  /** Channels that exist; empty means any valid name (CyTube creates channels on join). */
  channels?: string[];
  channelPasswords?: Record<string, string>;
  /** The per-user chat limiter; CyTube's channel default unless given. */
  antiflood?: AntifloodParams;
  /** CyTube's guest-login-delay per IP; 0 here so many test users can join from 127.0.0.1. */
  guestLoginDelayMs?: number;
}

export interface ServerEvents {
  chat: [channel: string, msg: ChatMessage];
  dropped: [channel: string, username: string, msg: string];
  login: [name: string, ok: boolean];
}

interface Session {
  socket: Socket<ClientToServerEvents, ServerToClientEvents>;
  name: string;
  rank: number;
  loggedIn: boolean;
  channel?: TestChannel;
  limiter: Antiflood;
  pmLimiter: Antiflood;
}

interface TestChannel {
  name: string;
  sessions: Set<Session>;
  buffer: ChatMessage[];
  motd: string;
  media?: MediaData;
}

const NAME_RE = /^[\w-]{1,20}$/;
const CHANNEL_RE = /^[\w-]{1,30}$/;
/** CyTube's fixed PM limiter (MIN_ANTIFLOOD in chat.js). */
const PM_ANTIFLOOD: AntifloodParams = { burst: 20, sustained: 10 };

export class CytubeTestServer extends EventEmitter<ServerEvents> {
  readonly channels = new Map<string, TestChannel>();
  /** Lines the antiflood dropped, per user: what a flooding bot loses. */
  readonly dropped = new Map<string, number>();
  #http: HttpServer | undefined;
  #io: Server<ClientToServerEvents, ServerToClientEvents> | undefined;
  #port: number;
  readonly #lastGuestLogin = new Map<string, number>();

  constructor(private readonly opts: TestServerOptions = {}) {
    super();
    this.#port = opts.port ?? 0;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://${this.opts.host ?? '127.0.0.1'}:${this.#port}`;
  }

  get running(): boolean {
    return this.#http !== undefined;
  }

  async start(): Promise<void> {
    if (this.#http) return;
    const http = createServer((req, res) => this.#serveHttp(req, res));
    const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { serveClient: false, cors: { origin: true } });
    io.on('connection', (socket) => this.#onConnection(socket));
    http.listen(this.#port, this.opts.host ?? '127.0.0.1');
    await Promise.race([once(http, 'listening'), once(http, 'error').then(([e]) => Promise.reject(e as Error))]);
    this.#port = (http.address() as AddressInfo).port;
    this.#http = http;
    this.#io = io;
  }

  /** Drop every connection and stop listening, like a server going down. Channel state survives. */
  async stop(): Promise<void> {
    const io = this.#io;
    const http = this.#http;
    this.#io = undefined;
    this.#http = undefined;
    if (!io || !http) return;
    for (const ch of this.channels.values()) ch.sessions.clear();
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    io.disconnectSockets(true);
    void io.close();
    http.closeAllConnections();
    await closed;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Names logged in to a channel. */
  users(channel: string): string[] {
    return [...(this.channels.get(channel)?.sessions ?? [])].filter((s) => s.loggedIn).map((s) => s.name);
  }

  kick(channel: string, name: string, reason: string): boolean {
    const s = this.#find(this.channels.get(channel), name);
    if (!s) return false;
    s.socket.emit('kick', { reason });
    s.socket.disconnect(true);
    return true;
  }

  setMotd(channel: string, motd: string): void {
    const ch = this.#channel(channel);
    ch.motd = motd;
    this.#io?.to(channel).emit('setMotd', motd);
  }

  changeMedia(channel: string, media: MediaData): void {
    const ch = this.#channel(channel);
    ch.media = media;
    this.#io?.to(channel).emit('changeMedia', media);
  }

  #serveHttp(req: IncomingMessage, res: ServerResponse): void {
    const m = /^\/socketconfig\/([^/]+)\.json$/.exec(req.url?.split('?')[0] ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || !m) return send(404, { error: 'Not found' });
    const name = decodeURIComponent(m[1] as string);
    if (!this.#channelExists(name)) return send(404, { error: `Channel "${name}" does not exist.` });
    send(200, { servers: [{ url: this.url, secure: false }] });
  }

  #channelExists(name: string): boolean {
    if (!CHANNEL_RE.test(name)) return false;
    const list = this.opts.channels ?? [];
    return list.length === 0 || list.includes(name.toLowerCase());
  }

  #channel(name: string): TestChannel {
    let ch = this.channels.get(name);
    if (!ch) {
      ch = { name, sessions: new Set(), buffer: [], motd: '' };
      this.channels.set(name, ch);
    }
    return ch;
  }

  #find(ch: TestChannel | undefined, name: string): Session | undefined {
    for (const s of ch?.sessions ?? []) if (s.loggedIn && s.name.toLowerCase() === name.toLowerCase()) return s;
    return undefined;
  }

  #onConnection(socket: Session['socket']): void {
    const params = this.opts.antiflood ?? CHANNEL_ANTIFLOOD;
    const s: Session = { socket, name: '', rank: -1, loggedIn: false, limiter: new Antiflood(params), pmLimiter: new Antiflood(PM_ANTIFLOOD) };
    socket.emit('rank', -1);
    socket.once('joinChannel', (data) => this.#onJoin(s, data));
    socket.on('login', (data) => this.#onLogin(s, data));
    socket.on('chatMsg', (data) => this.#onChat(s, data));
    socket.on('pm', (data) => this.#onPm(s, data));
    socket.on('disconnect', () => this.#onLeave(s));
  }

  #onJoin(s: Session, data: unknown): void {
    const name = (data as { name?: unknown })?.name;
    if (typeof name !== 'string') return;
    if (!this.#channelExists(name)) {
      s.socket.emit('errorMsg', { msg: 'Invalid channel name.  Channel names may consist of 1-30 characters in the set a-z, A-Z, 0-9, -, and _' });
      s.socket.emit('kick', { reason: 'Invalid channel name' });
      s.socket.disconnect(true);
      return;
    }
    const ch = this.#channel(name.toLowerCase());
    const password = this.opts.channelPasswords?.[ch.name];
    if (password === undefined) return this.#accept(s, ch);
    s.socket.emit('needPassword', false);
    const check = (pw: unknown) => {
      if (pw === password) {
        s.socket.off('channelPassword', check);
        this.#accept(s, ch);
      } else s.socket.emit('needPassword', true);
    };
    s.socket.on('channelPassword', check);
  }

  #accept(s: Session, ch: TestChannel): void {
    if (!s.socket.connected) return;
    s.channel = ch;
    ch.sessions.add(s);
    void s.socket.join(ch.name);
    for (const msg of ch.buffer) s.socket.emit('chatMsg', msg);
    s.socket.emit('userlist', this.#userlist(ch));
    s.socket.emit('setMotd', ch.motd);
    if (ch.media) s.socket.emit('changeMedia', ch.media);
    this.#io?.to(ch.name).emit('usercount', ch.sessions.size);
    if (s.loggedIn) this.#announce(s);
  }

  #userlist(ch: TestChannel): UserData[] {
    return [...ch.sessions].filter((u) => u.loggedIn).map((u) => ({ name: u.name, rank: u.rank, profile: { image: '', text: '' }, meta: { afk: false, muted: false } }));
  }

  /** A login completed inside a channel: older sessions with that name go, everyone hears of the new one. */
  #announce(s: Session): void {
    const ch = s.channel;
    if (!ch) return;
    for (const other of ch.sessions) {
      if (other !== s && other.loggedIn && other.name.toLowerCase() === s.name.toLowerCase()) {
        other.socket.emit('kick', { reason: 'Duplicate login' });
        other.socket.disconnect(true);
      }
    }
    this.#io?.to(ch.name).emit('addUser', { name: s.name, rank: s.rank, profile: { image: '', text: '' }, meta: { afk: false, muted: false } });
  }

  #onLogin(s: Session, data: unknown): void {
    if (typeof data !== 'object' || data === null) return void s.socket.emit('errorMsg', { msg: 'Invalid login frame' });
    const { name, pw } = data as { name?: unknown; pw?: unknown };
    if (typeof name !== 'string' || s.loggedIn) return;
    const refuse = (error: string) => {
      s.socket.emit('login', { success: false, error });
      this.emit('login', name, false);
    };
    const accounts = this.opts.accounts ?? {};
    const account = Object.keys(accounts).find((a) => a.toLowerCase() === name.toLowerCase());
    if (typeof pw === 'string' && pw !== '') {
      if (account === undefined || accounts[account] !== pw) return refuse('Invalid username/password combination');
      this.#loggedIn(s, account, 1, false);
      return;
    }
    const ip = s.socket.handshake.address;
    const delay = this.opts.guestLoginDelayMs ?? 0;
    if (delay > 0 && Date.now() - (this.#lastGuestLogin.get(ip) ?? -Infinity) < delay) {
      return refuse(`Guest logins are restricted to one per IP address per ${delay / 1000} seconds.`);
    }
    if (!NAME_RE.test(name)) return refuse('Invalid username.  Usernames must be 1-20 characters long and consist only of characters a-z, A-Z, 0-9, -, or _.');
    if (account !== undefined) return refuse('That username is registered.');
    if (this.#find(s.channel, name)) return refuse('That name is already in use on this channel.');
    this.#lastGuestLogin.set(ip, Date.now());
    this.#loggedIn(s, name, 0, true);
  }

  #loggedIn(s: Session, name: string, rank: number, guest: boolean): void {
    s.name = name;
    s.rank = rank;
    s.loggedIn = true;
    s.socket.emit('rank', rank);
    s.socket.emit('login', { success: true, name, guest });
    this.emit('login', name, true);
    if (s.channel) this.#announce(s);
  }

  #onChat(s: Session, data: unknown): void {
    const ch = s.channel;
    const raw = (data as { msg?: unknown })?.msg;
    if (!ch || typeof raw !== 'string' || !s.loggedIn) return;
    // eslint-disable-next-line no-control-regex -- CyTube strips exactly these
    const text = raw.slice(0, 240).replace(/[\x00-\x1f]+/g, ' ');
    if (!text.trim()) return;
    if (s.limiter.throttle()) {
      this.dropped.set(s.name, (this.dropped.get(s.name) ?? 0) + 1);
      this.emit('dropped', ch.name, s.name, text);
      s.socket.emit('cooldown', 1000 / (this.opts.antiflood ?? CHANNEL_ANTIFLOOD).sustained);
      return;
    }
    const msg: ChatMessage = { username: s.name, msg: escapeHtml(text), meta: {}, time: Date.now() };
    this.#io?.to(ch.name).emit('chatMsg', msg);
    ch.buffer.push(msg);
    if (ch.buffer.length > 15) ch.buffer.shift();
    this.emit('chat', ch.name, msg);
  }

  #onPm(s: Session, data: unknown): void {
    const { to, msg } = (data ?? {}) as { to?: unknown; msg?: unknown };
    if (!s.channel || typeof to !== 'string' || typeof msg !== 'string') return;
    if (!s.loggedIn) return void s.socket.emit('errorMsg', { msg: 'You must be signed in to send PMs' });
    if (to.toLowerCase() === s.name.toLowerCase()) return void s.socket.emit('errorMsg', { msg: "You can't PM yourself!" });
    if (s.pmLimiter.throttle()) return void s.socket.emit('cooldown', 1000 / PM_ANTIFLOOD.sustained);
    const target = this.#find(s.channel, to);
    if (!target) return void s.socket.emit('errorMsg', { msg: `PM failed: ${to.toLowerCase()} isn't connected to this channel.` });
    const pm = { username: s.name, msg: escapeHtml(msg.slice(0, 240)), meta: {}, time: Date.now(), to: target.name };
    target.socket.emit('pm', pm);
    s.socket.emit('pm', pm);
  }

  #onLeave(s: Session): void {
    const ch = s.channel;
    if (!ch || !ch.sessions.delete(s)) return;
    if (s.loggedIn) this.#io?.to(ch.name).emit('userLeave', { name: s.name });
    this.#io?.to(ch.name).emit('usercount', ch.sessions.size);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** CLI for the demo: node --import tsx bot/testing/cytube-server.ts --port 8080 --channel rosey --user rosey:secret */
async function cli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      channel: { type: 'string', multiple: true, default: [] },
      user: { type: 'string', multiple: true, default: [] },
      antiflood: { type: 'string', default: 'channel' },
    },
  });
  const accounts: Record<string, string> = {};
  for (const u of values.user ?? []) {
    const i = u.indexOf(':');
    if (i <= 0) throw new Error(`--user ${u}: expected name:password`);
    accounts[u.slice(0, i)] = u.slice(i + 1);
  }
  const [burst, sustained, cooldown] = (values.antiflood === 'channel' ? '4,1,4' : values.antiflood ?? '').split(',').map(Number);
  if (!burst || !sustained) throw new Error('--antiflood: expected "channel" or burst,sustained[,cooldown]');
  const server = new CytubeTestServer({ host: values.host, port: Number(values.port), accounts, channels: values.channel, antiflood: { burst, sustained, cooldown } });
  await server.start();
  process.stdout.write(JSON.stringify({ msg: 'cytube test server listening', url: server.url, channels: values.channel, accounts: Object.keys(accounts) }) + '\n');
  server.on('chat', (channel, m) => process.stdout.write(JSON.stringify({ msg: 'chat', channel, user: m.username, text: m.msg }) + '\n'));
  server.on('dropped', (channel, user) => process.stdout.write(JSON.stringify({ msg: 'antiflood dropped a line', channel, user }) + '\n'));
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  cli(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`cytube-server: ${(err as Error).message}\n`);
    process.exit(1);
  });
}

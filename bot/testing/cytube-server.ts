import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import type { ClientToServerEvents, MediaData, ServerToClientEvents } from '../src/cytube/protocol.js';
import { Antiflood, CHANNEL_ANTIFLOOD } from './antiflood.js';
import { channelExists, getChannel, handleJoin, handleLeave } from './server-channel.js';
import { banUser, handleChat, handlePm, setMuted } from './server-chat.js';
import { handleLogin } from './server-login.js';
import { findUser, kickSession, type ServerContext, type ServerEvents, type ServerSocket, type Session, type TestChannel, type TestServerOptions } from './server-model.js';
import { cli } from './server-cli.js';

export type { ServerEvents, TestServerOptions } from './server-model.js';

// A CyTube stand-in for tests and the local demo, written from CyTube 3.x's
// protocol (calzoneman/sync): GET /socketconfig/<channel>.json, then
// socket.io 4 with joinChannel / login / chatMsg / pm, the same answers,
// the same chat antiflood, mutes, kicks and throttled user count, and a
// stop/start that keeps its port. The parts live in server-*.ts.

export class CytubeTestServer extends EventEmitter<ServerEvents> implements ServerContext {
  readonly channels = new Map<string, TestChannel>();
  /** Lines the antiflood dropped, per user: what a flooding bot loses. */
  readonly dropped = new Map<string, number>();
  #http: HttpServer | undefined;
  #io: Server<ClientToServerEvents, ServerToClientEvents> | undefined;
  #port: number;

  constructor(readonly opts: TestServerOptions = {}) {
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

  io(): Server<ClientToServerEvents, ServerToClientEvents> | undefined {
    return this.#io;
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
    for (const ch of this.channels.values()) {
      ch.sessions.clear();
      ch.usercount.cancel();
    }
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

  /** Kick one user with a reason, as a moderator's /kick does. */
  kick(channel: string, name: string, reason: string): boolean {
    const s = findUser(this.channels.get(channel), name);
    if (!s) return false;
    kickSession(s, reason);
    return true;
  }

  /** Registering or reloading a channel kicks everyone with "Channel reloading"; they may come straight back. */
  reload(channel: string): void {
    this.#kickAll(channel, 'Channel reloading');
  }

  /** Unloading a channel (its last user left or the server stops) kicks whoever is left with "Channel shutting down". */
  unload(channel: string): void {
    this.#kickAll(channel, 'Channel shutting down');
  }

  ban(channel: string, name: string): void {
    banUser(getChannel(this, channel), name);
  }

  mute(channel: string, name: string, muted = true): void {
    setMuted(this, getChannel(this, channel), name, muted);
  }

  setMotd(channel: string, motd: string): void {
    getChannel(this, channel).motd = motd;
    this.#io?.to(channel).emit('setMotd', motd);
  }

  changeMedia(channel: string, media: MediaData): void {
    getChannel(this, channel).media = media;
    this.#io?.to(channel).emit('changeMedia', media);
  }

  /**
   * Send any event with any payload to one user's socket: for the tests of
   * what a client does with a frame the real server should never send.
   */
  sendRaw(channel: string, name: string, event: string, ...args: unknown[]): boolean {
    const s = findUser(this.channels.get(channel), name);
    if (!s) return false;
    (s.socket.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
    return true;
  }

  #kickAll(channel: string, reason: string): void {
    for (const s of [...(this.channels.get(channel)?.sessions ?? [])]) kickSession(s, reason);
  }

  #serveHttp(req: IncomingMessage, res: ServerResponse): void {
    const m = /^\/socketconfig\/([^/]+)\.json$/.exec(req.url?.split('?')[0] ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || !m) return send(404, { error: 'Not found' });
    const name = decodeURIComponent(m[1] as string);
    if (!channelExists(this, name)) return send(404, { error: `Channel "${name}" does not exist.` });
    send(200, { servers: [{ url: this.url, secure: false }] });
  }

  #onConnection(socket: ServerSocket): void {
    const s: Session = { socket, name: '', rank: -1, loggedIn: false, registeredAt: Date.now(), limiter: new Antiflood(this.opts.antiflood ?? CHANNEL_ANTIFLOOD) };
    socket.emit('rank', -1);
    socket.once('joinChannel', (data) => handleJoin(this, s, data));
    socket.on('login', (data) => handleLogin(this, s, data));
    socket.on('chatMsg', (data) => handleChat(this, s, data));
    socket.on('pm', (data) => handlePm(s, data));
    socket.on('disconnect', () => handleLeave(this, s));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  cli(process.argv.slice(2), (opts) => new CytubeTestServer(opts)).catch((err: unknown) => {
    process.stderr.write(`cytube-server: ${(err as Error).message}\n`);
    process.exit(1);
  });
}

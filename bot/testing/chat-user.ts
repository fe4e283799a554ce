import { io, type Socket } from 'socket.io-client';
import type { ChatMessage, ClientToServerEvents, LoginResult, ServerToClientEvents } from '../src/cytube/protocol.js';

/** A person in the channel, for tests and benchmarks: joins, logs in, chats, remembers what it saw. */
export class ChatUser {
  readonly messages: ChatMessage[] = [];
  readonly pms: ChatMessage[] = [];
  #listeners: ((m: ChatMessage) => void)[] = [];

  private constructor(
    readonly name: string,
    readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>,
    private readonly keep: number,
  ) {
    socket.on('chatMsg', (m) => {
      this.messages.push(m);
      if (this.messages.length > keep) this.messages.shift();
      for (const l of this.#listeners) l(m);
    });
    socket.on('pm', (m) => this.pms.push(m));
  }

  /** Connect to `url`, join `channel` (with its password if given), log in (as a guest without a password); rejects if refused. */
  static async join(url: string, channel: string, name: string, opts: { password?: string; channelPassword?: string; keep?: number } = {}): Promise<ChatUser> {
    const socket = ChatUser.#connect(url);
    const user = new ChatUser(name, socket, opts.keep ?? 1000);
    const result = await new Promise<LoginResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no login answer`)), 10_000);
      socket.once('login', (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      socket.once('connect_error', (e) => reject(e));
      socket.on('needPassword', () => {
        if (opts.channelPassword !== undefined) socket.emit('channelPassword', opts.channelPassword);
      });
      socket.once('connect', () => {
        socket.emit('joinChannel', { name: channel });
        socket.emit('login', { name, pw: opts.password });
      });
    });
    if (!result.success) {
      socket.disconnect();
      throw new Error(`${name}: login refused: ${result.error}`);
    }
    return user;
  }

  /** An anonymous viewer: joins `channel` without logging in (CyTube counts it in `usercount`, not in the user list). */
  static async watch(url: string, channel: string): Promise<ChatUser> {
    const socket = ChatUser.#connect(url);
    const user = new ChatUser('', socket, 100);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect_error', (e) => reject(e));
      socket.once('userlist', () => resolve());
      socket.once('connect', () => socket.emit('joinChannel', { name: channel }));
    });
    return user;
  }

  static #connect(url: string): Socket<ServerToClientEvents, ClientToServerEvents> {
    return io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  }

  say(msg: string): void {
    this.socket.emit('chatMsg', { msg, meta: {} });
  }

  /** Resolve with the first chat line (from now on) that matches. */
  waitFor(match: (m: ChatMessage) => boolean, timeoutMs = 10_000): Promise<ChatMessage> {
    return new Promise((resolve, reject) => {
      const listener = (m: ChatMessage) => {
        if (!match(m)) return;
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((l) => l !== listener);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.#listeners = this.#listeners.filter((l) => l !== listener);
        reject(new Error(`${this.name}: no matching chat line within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#listeners.push(listener);
    });
  }

  onChat(listener: (m: ChatMessage) => void): void {
    this.#listeners.push(listener);
  }

  close(): void {
    this.socket.disconnect();
  }
}

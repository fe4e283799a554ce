import { join } from 'node:path';
import { ChannelState } from './channel-state.js';
import { builtinCommands } from './commands/builtin.js';
import { parseCommand, type Command } from './commands/command.js';
import type { MarkovChain } from './commands/markov-chain.js';
import { loadMarkov, saveMarkov } from './commands/markov-store.js';
import type { BotConfig } from './config/schema.js';
import type { Secrets } from './config/secrets.js';
import { CytubeClient, type SessionEnd } from './cytube/client.js';
import type { ChatMessage } from './cytube/protocol.js';
import { SendQueue, type DropReason } from './cytube/send-queue.js';
import { chatToText, safeChatLine } from './cytube/text.js';
import { ChatLog } from './observe/chat-log.js';
import { startHealthServer, type HealthReport, type HealthServer } from './observe/health-server.js';
import type { Logger } from './observe/log.js';
import { BotMetrics, type ErrorKind } from './observe/metrics.js';

export interface BotOptions {
  config: BotConfig;
  secrets: Secrets;
  log: Logger;
  version: string;
}

interface Outgoing {
  text: string;
  /** Set for a private reply. */
  to?: string;
}

const END_ERROR_KIND: Record<SessionEnd['kind'], ErrorKind> = {
  'connect-failed': 'connection',
  timeout: 'connection',
  disconnected: 'connection',
  kicked: 'kick',
  'login-refused': 'login',
  'channel-password': 'login',
};

const END_MESSAGE: Record<SessionEnd['kind'], string> = {
  'connect-failed': 'cannot connect to the server, retrying',
  timeout: 'the server did not answer in time, retrying',
  disconnected: 'connection lost, reconnecting',
  kicked: 'kicked from the channel; retrying after reconnect.kick_delay',
  'login-refused': 'login refused (check the username and the password variable); retrying after reconnect.kick_delay',
  'channel-password': 'cannot enter the password-protected channel; retrying after reconnect.kick_delay',
};

/** The Rosey bot: one channel, its commands, its health endpoint. */
export class Bot {
  readonly channel = new ChannelState();
  readonly metrics: BotMetrics;
  readonly #client: CytubeClient;
  readonly #queue: SendQueue<Outgoing>;
  readonly #commands: Command[];
  readonly #started = Date.now();
  readonly #stats = { requests: 0, errors: 0 };
  #markov: MarkovChain | undefined;
  #markovDirty = false;
  #markovTimer: NodeJS.Timeout | undefined;
  #chatLog: ChatLog | undefined;
  #http: HealthServer | undefined;

  constructor(private readonly opts: BotOptions) {
    const { config, secrets, log } = opts;
    this.#commands = builtinCommands(config.features);
    this.metrics = new BotMetrics(
      { connected: () => this.#client.connected, uptimeSeconds: () => this.uptimeSeconds, userCount: () => this.channel.userCount },
      { version: opts.version, channel: config.channel, commands: this.#commands.map((c) => c.name) },
    );
    this.#client = new CytubeClient(
      {
        server: config.server,
        channel: config.channel,
        username: config.username,
        password: secrets.password,
        channelPassword: secrets.channelPassword,
        timeoutMs: config.timeout * 1000,
        reconnect: {
          initialMs: config.reconnect.initial_delay * 1000,
          maxMs: config.reconnect.max_delay * 1000,
          kickMs: config.reconnect.kick_delay * 1000,
        },
      },
      log,
    );
    const rl = config.rate_limit;
    this.#queue = new SendQueue<Outgoing>(
      { burst: rl.burst, sustained: rl.sustained, cooldownMs: rl.cooldown * 1000, maxQueue: rl.max_queue },
      (out) => this.#client.send(out.text, out.to),
      (reason, out) => this.#onDrop(reason, out),
    );
    this.#wireClient();
  }

  get uptimeSeconds(): number {
    return (Date.now() - this.#started) / 1000;
  }

  get healthPort(): number | undefined {
    return this.#http?.port;
  }

  health(): HealthReport {
    const connected = this.#client.connected;
    return {
      status: connected ? 'ok' : 'unavailable',
      connected,
      channel: this.opts.config.channel,
      uptime: Math.floor(this.uptimeSeconds),
      version: this.opts.version,
      user_count: connected ? this.channel.userCount : 0,
      requests: this.#stats.requests,
      errors: this.#stats.errors,
    };
  }

  async start(): Promise<void> {
    const { config, log } = this.opts;
    if (config.features.markov) {
      const c = config.markov;
      this.#markov = await loadMarkov(this.#markovFile, { maxStates: c.max_states, maxChoices: c.max_choices, maxWords: c.max_words }, log);
      this.#markovTimer = setInterval(() => void this.#saveMarkov(), c.save_interval * 1000).unref();
    }
    if (config.features.logging) {
      this.#chatLog = new ChatLog(
        { file: join(config.data_dir, 'chat.log'), maxBytes: config.chat_log.max_bytes, keep: config.chat_log.keep },
        (err) => this.#countError('handler', 'chat log write failed', { error: err }),
      );
    }
    this.#http = await startHealthServer({ host: config.health.host, port: config.health.port, health: () => this.health(), metrics: this.metrics, log });
    log.info('health server listening', { host: config.health.host, port: this.#http.port });
    log.info('bot starting', { version: this.opts.version, server: config.server, channel: config.channel, username: config.username });
    this.#client.start();
  }

  /** Leave the channel, save state, close the HTTP server. Safe to call twice. */
  async stop(): Promise<void> {
    this.#client.stop();
    this.#queue.stop();
    if (this.#markovTimer) clearInterval(this.#markovTimer);
    this.#markovTimer = undefined;
    await this.#saveMarkov();
    this.#chatLog?.close();
    const http = this.#http;
    this.#http = undefined;
    await http?.close();
  }

  get #markovFile(): string {
    return join(this.opts.config.data_dir, 'markov.json');
  }

  #wireClient(): void {
    const c = this.#client;
    const log = this.opts.log;
    c.on('attempt', (n) => {
      if (n > 1) this.metrics.reconnects.inc();
    });
    c.on('connected', (name) => log.info('joined channel', { as: name }));
    c.on('ended', (end, retryInMs) => this.#onEnded(end, retryInMs));
    c.on('chatMsg', (msg, history) => this.#onChat(msg, history));
    c.on('pm', (msg) => this.#onPm(msg));
    c.on('userlist', (list) => this.channel.setUserlist(Array.isArray(list) ? list : []));
    c.on('addUser', (u) => this.channel.addUser(u));
    c.on('userLeave', (d) => this.channel.removeUser(d?.name));
    c.on('usercount', (n) => this.channel.setUserCount(n));
    c.on('changeMedia', (m) => {
      this.channel.media = m;
      log.debug('media changed', { title: m?.title, type: m?.type, id: m?.id });
    });
    c.on('setMotd', (motd) => {
      this.channel.motd = typeof motd === 'string' ? motd : '';
    });
    c.on('rank', (rank) => log.debug('rank', { rank }));
    c.on('errorMsg', (d) => this.#countError('server', 'server error message', { message: d?.msg }));
    c.on('cooldown', (ms) => {
      // The server dropped a line: our pacing was too fast for this channel's antiflood.
      this.#queue.pause(typeof ms === 'number' && ms > 0 ? ms : 1000);
      this.#countError('send', 'server antiflood dropped a message', { cooldown_ms: ms });
    });
  }

  #onEnded(end: SessionEnd, retryInMs: number): void {
    this.channel.reset();
    this.#queue.clear();
    const fields = { reason: end.kind, detail: end.detail, retry_in_ms: retryInMs };
    this.#countError(END_ERROR_KIND[end.kind], END_MESSAGE[end.kind], fields);
  }

  #onChat(msg: ChatMessage, history: boolean): void {
    const self = msg.username.toLowerCase() === this.#client.name.toLowerCase();
    if (history || self || msg.username === '[server]') return;
    const text = chatToText(msg.msg);
    this.#chatLog?.write({ time: msg.time, user: msg.username, msg: text });
    const cmd = parseCommand(text, this.opts.config.command_prefix);
    if (cmd) this.#runCommand(cmd.name, cmd.args, cmd.text, msg.username);
    else if (this.#markov) {
      this.#markov.train(text);
      this.#markovDirty = true;
    }
  }

  #onPm(msg: ChatMessage): void {
    if (!msg || typeof msg.username !== 'string' || msg.username.toLowerCase() === this.#client.name.toLowerCase()) return;
    const text = chatToText(String(msg.msg));
    this.#chatLog?.write({ time: msg.time, user: msg.username, msg: text, kind: 'pm' });
    const cmd = parseCommand(text, this.opts.config.command_prefix);
    if (cmd) this.#runCommand(cmd.name, cmd.args, cmd.text, msg.username, msg.username);
  }

  #runCommand(name: string, args: string[], text: string, user: string, replyTo?: string): void {
    const command = this.#commands.find((c) => c.name === name);
    if (!command) return;
    this.#stats.requests++;
    this.metrics.requests.inc({ command: name });
    const stopTimer = this.metrics.commandDuration.startTimer({ command: name });
    try {
      const lines = command.run({
        args,
        text,
        user,
        prefix: this.opts.config.command_prefix,
        version: this.opts.version,
        uptimeSeconds: this.uptimeSeconds,
        userCount: this.channel.userCount,
        users: [...this.channel.users.values()].map((u) => u.name),
        markov: this.#markov,
        commands: this.#commands,
      });
      for (const line of lines) {
        const safe = safeChatLine(line);
        if (safe) this.#queue.push({ text: safe, to: replyTo });
      }
    } catch (err) {
      this.#countError('handler', 'command failed', { command: name, user, error: err });
    } finally {
      stopTimer();
    }
  }

  #onDrop(reason: DropReason, out: Outgoing): void {
    this.#countError('send', reason === 'queue-full' ? 'send queue full, reply dropped' : 'not connected, reply dropped', { reply: out.text.slice(0, 80) });
  }

  #countError(kind: ErrorKind, msg: string, fields: Record<string, unknown>): void {
    this.#stats.errors++;
    this.metrics.errors.inc({ kind });
    this.opts.log[kind === 'connection' ? 'warn' : 'error'](msg, { error_kind: kind, ...fields });
  }

  async #saveMarkov(): Promise<void> {
    if (!this.#markov || !this.#markovDirty) return;
    this.#markovDirty = false;
    try {
      await saveMarkov(this.#markovFile, this.#markov);
    } catch (err) {
      this.#markovDirty = true;
      this.#countError('handler', 'saving markov state failed', { file: this.#markovFile, error: err });
    }
  }
}

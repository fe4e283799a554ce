import { join } from 'node:path';
import { ChannelState } from './channel-state.js';
import { builtinCommands } from './commands/builtin.js';
import { parseCommand, type Command } from './commands/command.js';
import type { MarkovChain } from './commands/markov-chain.js';
import { loadMarkov, saveMarkov } from './commands/markov-store.js';
import type { BotConfig } from './config/schema.js';
import type { Secrets } from './config/secrets.js';
import { CytubeClient, type SessionEnd } from './cytube/client.js';
import type { ChatMessage, PrivateMessage, UserData } from './cytube/protocol.js';
import { chatToText, safeChatLine } from './cytube/text.js';
import { ChatLog } from './observe/chat-log.js';
import { startHealthServer, type HealthReport, type HealthServer } from './observe/health-server.js';
import type { Logger } from './observe/log.js';
import { BotMetrics } from './observe/metrics.js';
import { BotStatus } from './bot-status.js';
import { Replies } from './replies.js';

export interface BotOptions {
  config: BotConfig;
  secrets: Secrets;
  log: Logger;
  version: string;
}

/** The Rosey bot: one channel, its commands, its health endpoint. */
export class Bot {
  readonly channel = new ChannelState();
  readonly metrics: BotMetrics;
  readonly #client: CytubeClient;
  readonly #replies: Replies;
  readonly #commands: Command[];
  readonly #started = Date.now();
  readonly #status: BotStatus;
  #markov: MarkovChain | undefined;
  #markovDirty = false;
  #markovTimer: NodeJS.Timeout | undefined;
  #chatLog: ChatLog | undefined;
  #http: HealthServer | undefined;

  constructor(private readonly opts: BotOptions) {
    const { config, secrets, log } = opts;
    this.#commands = builtinCommands(config.features);
    this.metrics = new BotMetrics(
      {
        connected: () => this.#client.connected,
        uptimeSeconds: () => this.uptimeSeconds,
        userCount: () => this.channel.userCount,
        serverUserCount: () => this.channel.serverUserCount,
        muted: () => this.#status.muted,
      },
      { version: opts.version, channel: config.channel, commands: this.#commands.map((c) => c.name) },
    );
    this.#status = new BotStatus(this.metrics, log);
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
    this.#replies = new Replies(
      { burst: rl.burst, sustained: rl.sustained, cooldownMs: rl.cooldown * 1000, maxQueue: rl.max_queue },
      (out) => this.#client.send(out.text, out.to),
      {
        lost: (kind, msg, fields) => this.#status.error(kind, msg, fields),
        retried: (fields) => {
          this.metrics.sendRetries.inc();
          log.warn("the channel's antiflood refused a reply; sending it again after the cooldown it named", fields);
        },
      },
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
      server_user_count: connected ? (this.channel.serverUserCount ?? null) : null,
      muted: this.#status.muted,
      requests: this.#status.requests,
      errors: this.#status.errors,
      invalid_events: this.#status.invalidEvents,
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
        (err) => this.#status.error('handler', 'chat log write failed', { error: err }),
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
    this.#replies.stop();
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
    c.on('invalid', (event, data) => this.#status.invalid(event, data));
    c.on('chatMsg', (msg, history) => this.#onChat(msg, history));
    c.on('pm', (msg) => this.#onPm(msg));
    c.on('userlist', (list) => {
      this.channel.setUserlist(list);
      this.#selfMeta(list.find((u) => this.#isSelf(u.name)));
    });
    c.on('addUser', (u) => {
      this.channel.addUser(u);
      if (this.#isSelf(u.name)) this.#selfMeta(u);
    });
    c.on('userLeave', (d) => this.channel.removeUser(d.name));
    c.on('setUserMeta', (d) => {
      this.channel.setMeta(d.name, d.meta);
      if (this.#isSelf(d.name)) this.#selfMeta(d);
    });
    c.on('usercount', (n) => (this.channel.serverUserCount = n));
    c.on('changeMedia', (m) => {
      this.channel.media = m;
      log.debug('media changed', { title: m.title, type: m.type, id: m.id });
    });
    c.on('setMotd', (motd) => (this.channel.motd = motd));
    c.on('rank', (rank) => log.debug('rank', { rank }));
    c.on('errorMsg', (d) => {
      if (!this.#replies.pmFailed(d.msg)) this.#status.error('server', 'server error message', { message: d.msg });
    });
    c.on('cooldown', (ms) => this.#replies.cooldown(ms));
    c.on('noflood', (d) => {
      this.#status.setMuted(true);
      this.#replies.muted(d.msg);
    });
    c.on('spamFiltered', (d) => this.#replies.spamFiltered(d.reason));
  }

  #isSelf(name: string): boolean {
    return name.toLowerCase() === this.#client.name.toLowerCase();
  }

  #selfMeta(user: Pick<UserData, 'meta'> | undefined): void {
    if (user?.meta?.muted !== undefined) this.#status.setMuted(user.meta.muted);
  }

  #onEnded(end: SessionEnd, retryInMs: number): void {
    this.channel.reset();
    this.#replies.clear();
    this.#status.ended(end, retryInMs, this.opts.config.username);
  }

  #onChat(msg: ChatMessage, history: boolean): void {
    if (this.#isSelf(msg.username)) {
      if (!history) this.#replies.chatEchoed();
      return;
    }
    if (history || msg.username === '[server]') return;
    const text = chatToText(msg.msg);
    this.#chatLog?.write({ time: msg.time, user: msg.username, msg: text });
    const cmd = parseCommand(text, this.opts.config.command_prefix);
    if (cmd) this.#runCommand(cmd.name, cmd.args, cmd.text, msg.username);
    else if (this.#markov) {
      this.#markov.train(text);
      this.#markovDirty = true;
    }
  }

  #onPm(msg: PrivateMessage): void {
    if (this.#isSelf(msg.username)) return this.#replies.pmEchoed(msg.to);
    const text = chatToText(msg.msg);
    this.#chatLog?.write({ time: msg.time, user: msg.username, msg: text, kind: 'pm' });
    const cmd = parseCommand(text, this.opts.config.command_prefix);
    if (cmd) this.#runCommand(cmd.name, cmd.args, cmd.text, msg.username, msg.username);
  }

  #runCommand(name: string, args: string[], text: string, user: string, replyTo?: string): void {
    const command = this.#commands.find((c) => c.name === name);
    if (!command) return;
    this.#status.requests++;
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
        if (safe) this.#replies.push({ text: safe, to: replyTo });
      }
    } catch (err) {
      this.#status.error('handler', 'command failed', { command: name, user, error: err });
    } finally {
      stopTimer();
    }
  }

  async #saveMarkov(): Promise<void> {
    if (!this.#markov || !this.#markovDirty) return;
    this.#markovDirty = false;
    try {
      await saveMarkov(this.#markovFile, this.#markov);
    } catch (err) {
      this.#markovDirty = true;
      this.#status.error('handler', 'saving markov state failed', { file: this.#markovFile, error: err });
    }
  }
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * muted: a reply lost to a mute (`noflood`); filtered: lost to the channel's
 * new-account chat delay (`spamFiltered`); protocol: a malformed server frame, dropped.
 */
export const ERROR_KINDS = ['handler', 'send', 'connection', 'login', 'kick', 'server', 'muted', 'filtered', 'protocol'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface MetricsSource {
  connected(): boolean;
  uptimeSeconds(): number;
  userCount(): number;
  /** The server's `usercount`, undefined until known. */
  serverUserCount(): number | undefined;
  muted(): boolean;
}

/**
 * The bot's Prometheus metrics, in a registry of its own (not prom-client's
 * global one) so several bots can live in one process, as in the tests.
 */
export class BotMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'command'>;
  readonly errors: Counter<'kind'>;
  readonly reconnects: Counter;
  readonly invalidEvents: Counter<'event'>;
  readonly sendRetries: Counter;
  readonly commandDuration: Histogram<'command'>;

  constructor(source: MetricsSource, info: { version: string; channel: string; commands: readonly string[] }) {
    const registers = [this.registry];
    new Gauge({ name: 'rosey_bot_up', help: '1 while the bot process runs', registers }).set(1);
    new Gauge({
      name: 'rosey_bot_connected',
      help: '1 when joined to the channel and logged in, else 0',
      registers,
      collect() {
        this.set(source.connected() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'rosey_bot_uptime_seconds',
      help: 'seconds since the bot started',
      registers,
      collect() {
        this.set(source.uptimeSeconds());
      },
    });
    new Gauge({
      name: 'rosey_bot_channel_users',
      help: 'logged-in users in the channel, from its user list',
      registers,
      collect() {
        this.set(source.userCount());
      },
    });
    new Gauge({
      name: 'rosey_bot_server_user_count',
      help: "the server's own count of the channel, anonymous viewers included; sent at most every 10 s (0 until known)",
      registers,
      collect() {
        this.set(source.serverUserCount() ?? 0);
      },
    });
    new Gauge({
      name: 'rosey_bot_muted',
      help: '1 while the bot is muted in the channel (its replies are dropped by the server)',
      registers,
      collect() {
        this.set(source.muted() ? 1 : 0);
      },
    });
    this.requests = new Counter({ name: 'rosey_bot_requests_total', help: 'chat commands handled', labelNames: ['command'], registers });
    this.errors = new Counter({ name: 'rosey_bot_errors_total', help: 'failures: handler errors, failed sends, connection errors', labelNames: ['kind'], registers });
    // Series exist from the start (at 0), so rate() and alerts work before the first error.
    for (const kind of ERROR_KINDS) this.errors.inc({ kind }, 0);
    for (const command of info.commands) this.requests.inc({ command }, 0);
    this.reconnects = new Counter({ name: 'rosey_bot_reconnects_total', help: 'connection attempts after the first', registers });
    this.invalidEvents = new Counter({ name: 'rosey_bot_invalid_events_total', help: 'server frames dropped because their payload is not what CyTube sends', labelNames: ['event'], registers });
    this.sendRetries = new Counter({ name: 'rosey_bot_send_retries_total', help: "lines sent again after the channel's antiflood refused them", registers });
    this.commandDuration = new Histogram({
      name: 'rosey_bot_command_duration_seconds',
      help: 'time to handle a chat command, until its reply is queued',
      labelNames: ['command'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    new Gauge({ name: 'rosey_bot_info', help: 'bot version and channel', labelNames: ['version', 'channel'], registers }).set({ version: info.version, channel: info.channel }, 1);
    collectDefaultMetrics({ register: this.registry });
  }
}

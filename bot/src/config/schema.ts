import { Type, type Static } from '@sinclair/typebox';

// The one definition of the bot's config: ajv validates against it, the TS
// types come from it, and bot/config/schema.json is generated from it.
// Durations are in seconds everywhere, like `timeout`.

const EnvName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'name of an environment variable' });
const Seconds = (min: number, max: number, def: number, description: string) =>
  Type.Number({ minimum: min, maximum: max, default: def, description: `${description} (seconds)` });

export const FeaturesSchema = Type.Object(
  {
    echo: Type.Optional(Type.Boolean({ default: false, description: 'enable the echo command' })),
    markov: Type.Optional(Type.Boolean({ default: true, description: 'train a markov chain on chat and enable the markov command' })),
    logging: Type.Optional(Type.Boolean({ default: false, description: 'write a chat log under data_dir' })),
  },
  { additionalProperties: false, default: {} },
);

export const ConfigSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    server: Type.String({ pattern: '^https?://[^\\s/]+(/.*)?$', description: 'base URL of the CyTube server, e.g. https://cytu.be' }),
    channel: Type.String({ pattern: '^[\\w-]{1,30}$', description: 'channel name (1-30 of a-z A-Z 0-9 - _)' }),
    username: Type.String({ pattern: '^[\\w-]{1,20}$', description: 'registered CyTube account name (1-20 of a-z A-Z 0-9 - _)' }),
    password_env: { ...EnvName, description: 'environment variable holding the account password; never put the password in this file' },
    channel_password_env: Type.Optional({ ...EnvName, description: 'environment variable holding the channel password, if the channel has one' }),
    timeout: Type.Optional(Seconds(1, 300, 3, 'connection and login timeout')),
    command_prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 3, default: '!', description: 'prefix that marks a chat command' })),
    log_level: Type.Optional(Type.Union([Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')], { default: 'info' })),
    data_dir: Type.Optional(Type.String({ minLength: 1, default: '/var/lib/rosey-bot', description: 'directory for the markov state and chat log' })),
    features: Type.Optional(FeaturesSchema),
    health: Type.Optional(Type.Object(
      {
        host: Type.Optional(Type.String({ minLength: 1, default: '127.0.0.1', description: 'address the health/metrics server listens on' })),
        port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, default: 8000, description: 'port of the health/metrics server (0: any free port)' })),
      },
      { additionalProperties: false, default: {} },
    )),
    rate_limit: Type.Optional(Type.Object(
      {
        burst: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 3, description: 'messages sent back to back after a quiet period; keep below the channel antiflood burst (CyTube default 4)' })),
        sustained: Type.Optional(Type.Number({ minimum: 0.05, maximum: 10, default: 0.8, description: 'messages per second after the burst; keep below the channel antiflood rate (CyTube default 1)' })),
        cooldown: Type.Optional(Seconds(0.1, 600, 5, 'quiet time after which a new burst is allowed; keep above the channel antiflood cooldown (CyTube default 4)')),
        max_queue: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 50, description: 'replies waiting to be sent; more are dropped and counted as errors' })),
      },
      { additionalProperties: false, default: {} },
    )),
    reconnect: Type.Optional(Type.Object(
      {
        initial_delay: Type.Optional(Seconds(0.01, 3600, 1, 'first reconnect delay, doubled on each failure')),
        max_delay: Type.Optional(Seconds(0.01, 3600, 60, 'longest reconnect delay')),
        kick_delay: Type.Optional(Seconds(0.01, 86400, 300, 'delay before retrying after a moderator kick or ban, a duplicate login (another client on this account), a refused login or channel password')),
      },
      { additionalProperties: false, default: {} },
    )),
    markov: Type.Optional(Type.Object(
      {
        max_states: Type.Optional(Type.Integer({ minimum: 10, maximum: 1_000_000, default: 50_000, description: 'word pairs kept; the oldest are forgotten first' })),
        max_choices: Type.Optional(Type.Integer({ minimum: 1, maximum: 256, default: 32, description: 'next words kept per word pair' })),
        max_words: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30, description: 'longest generated reply, in words' })),
        save_interval: Type.Optional(Seconds(1, 86400, 300, 'how often the chain is saved to disk')),
      },
      { additionalProperties: false, default: {} },
    )),
    chat_log: Type.Optional(Type.Object(
      {
        max_bytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 1_073_741_824, default: 10_485_760, description: 'size at which the chat log is rotated' })),
        keep: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 5, description: 'rotated chat logs kept' })),
      },
      { additionalProperties: false, default: {} },
    )),
  },
  { additionalProperties: false, $id: 'https://rosey.invalid/schemas/bot-config.json', title: 'Rosey bot config' },
);

/** The file as written: most fields may be left out. */
export type RawConfig = Static<typeof ConfigSchema>;

type Defaulted<T> = { [K in keyof T]-?: NonNullable<T[K]> extends object ? Defaulted<NonNullable<T[K]>> : NonNullable<T[K]> };

/**
 * The config after validation with defaults filled in. The password itself is
 * not here: it is read from the environment at start (see `readSecrets`).
 */
export type BotConfig = Defaulted<Omit<RawConfig, 'channel_password_env' | '$schema'>> &
  Pick<RawConfig, 'channel_password_env'>;

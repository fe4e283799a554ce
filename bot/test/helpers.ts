import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bot } from '../src/bot.js';
import { parseConfig } from '../src/config/load.js';
import type { BotConfig, RawConfig } from '../src/config/schema.js';
import { Secret } from '../src/config/secrets.js';
import { createLogger, type Logger } from '../src/observe/log.js';
import { ChatUser } from '../testing/chat-user.js';
import { CytubeTestServer, type TestServerOptions } from '../testing/cytube-server.js';

export const BOT_NAME = 'RoseyBot';
export const BOT_PASSWORD = 'correct horse';
export const CHANNEL = 'testchan';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A valid config for a local test server, with fast timings; override what the test is about. */
export function testConfig(server: string, dataDir: string, overrides: DeepPartial<RawConfig> = {}): BotConfig {
  const base: RawConfig = {
    server,
    channel: CHANNEL,
    username: BOT_NAME,
    password_env: 'ROSEY_TEST_PASSWORD',
    timeout: 2,
    data_dir: dataDir,
    log_level: 'debug',
    features: { echo: true, markov: true, logging: true },
    health: { host: '127.0.0.1', port: 0 },
    // Below the harness server's antiflood (burst 4, 20/s, burst back after 1 s of silence), as the README asks of a real config.
    rate_limit: { burst: 3, sustained: 10, cooldown: 1.5, max_queue: 200 },
    reconnect: { initial_delay: 0.05, max_delay: 0.3, kick_delay: 30 },
  };
  const merged = { ...base, ...overrides } as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) {
    const b = (base as Record<string, unknown>)[k];
    if (v && typeof v === 'object' && b && typeof b === 'object') merged[k] = { ...b, ...v };
  }
  return parseConfig(JSON.stringify(merged), 'test-config');
}

export interface LogLine {
  level: string;
  msg: string;
  [k: string]: unknown;
}

export interface Harness {
  server: CytubeTestServer;
  bot: Bot;
  logs: LogLine[];
  dataDir: string;
  health(): Promise<{ status: number; body: Record<string, unknown> }>;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/** A test server with the bot's account, and a bot pointed at it (started unless told otherwise). */
export async function startHarness(
  opts: { server?: TestServerOptions; config?: DeepPartial<RawConfig>; password?: string; channelPassword?: string; start?: boolean } = {},
): Promise<Harness> {
  const server = new CytubeTestServer({ accounts: { [BOT_NAME]: BOT_PASSWORD }, antiflood: { burst: 4, sustained: 20, cooldown: 1 }, ...opts.server });
  await server.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'rosey-bot-test-'));
  const logs: LogLine[] = [];
  const log: Logger = createLogger('debug', (line) => logs.push(JSON.parse(line) as LogLine));
  const config = testConfig(server.url, dataDir, opts.config);
  const bot = new Bot({ config, secrets: { password: new Secret(opts.password ?? BOT_PASSWORD), channelPassword: opts.channelPassword === undefined ? undefined : new Secret(opts.channelPassword) }, log, version: '9.9.9-test' });
  if (opts.start !== false) await bot.start();
  const base = () => `http://127.0.0.1:${bot.healthPort}`;
  return {
    server,
    bot,
    logs,
    dataDir,
    async health() {
      const res = await fetch(`${base()}/api/health`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async metrics() {
      return (await fetch(`${base()}/metrics`)).text();
    },
    async close() {
      await bot.stop();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Poll until `check` is true (a condition, not a timing assertion); fails after a generous deadline. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

export function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

export interface HarnessScope {
  /** The harness this test started (throws before `start`). */
  readonly h: Harness;
  /** Chat users to close after the test. */
  readonly users: ChatUser[];
  start(opts?: Parameters<typeof startHarness>[0]): Promise<Harness>;
  join(name: string, password?: string): Promise<ChatUser>;
}

/** One harness per test, and the chat users it joined, closed after each test of the file. */
export function useHarness(): HarnessScope {
  let current: Harness | undefined;
  const users: ChatUser[] = [];
  afterEach(async () => {
    for (const u of users.splice(0)) u.close();
    await current?.close();
    current = undefined;
  });
  return {
    get h() {
      if (current === undefined) throw new Error('useHarness: start() first');
      return current;
    },
    users,
    async start(opts) {
      current = await startHarness(opts);
      return current;
    },
    async join(name, password) {
      const u = await ChatUser.join(this.h.server.url, CHANNEL, name, { password });
      users.push(u);
      return u;
    },
  };
}

// Soak benchmark for the Rosey bot (not a test): 100,000 chat messages and
// 10,000 commands through the bot via the CyTube test server on 127.0.0.1.
//
//   node --expose-gc --import tsx bench/bot-soak.ts [--messages N] [--commands N] [--askers N]
//
// --askers: users sending commands at once, each waiting for its reply (default 10).
//
// The bot runs in this process (so its RSS is measured alone); the test
// server and the simulated users run in a child process. The bot's send
// pacing is lifted for the run (CyTube allows at most 10 lines/s, which
// would make 10,000 replies take 17 minutes): this measures the bot's own
// cost, and latency here is handling + transport, not antiflood pacing.
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Bot } from '../bot/src/bot.js';
import { parseConfig } from '../bot/src/config/load.js';
import { Secret } from '../bot/src/config/secrets.js';
import { createLogger } from '../bot/src/observe/log.js';
import { ChatUser } from '../bot/testing/chat-user.js';
import { CytubeTestServer } from '../bot/testing/cytube-server.js';

const CHANNEL = 'soak';
const BOT = 'RoseySoak';
const PASSWORD = 'soak-password';
const WORDS = 'the a movie song chat rosey night stream good bad funny loud quiet next skip again play pause cat dog tea coffee'.split(' ');

type Plan = { messages: number; commands: number; askers: number };
type ToLoad = { go: Plan } | { bye: true };
type FromLoad = { ready: string } | { chatDone: { ms: number } } | { commandsDone: { latencies: number[]; ms: number } } | { error: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sentence(i: number): string {
  const n = 4 + (i % 9);
  const words: string[] = [];
  for (let k = 0; k < n; k++) words.push(WORDS[(i * 31 + k * 7 + (i >> 3)) % WORDS.length]!);
  return words.join(' ') + ` ${i % 1000}`;
}

// ---- child: the server and the users -------------------------------------

async function loadRole(): Promise<void> {
  const send = (m: FromLoad) => process.send!(m);
  const server = new CytubeTestServer({ accounts: { [BOT]: PASSWORD }, antiflood: { burst: 1e9, sustained: 1e9 } });
  await server.start();
  send({ ready: server.url });
  const { messages, commands, askers: askerCount } = await new Promise<Plan>((resolve) =>
    process.once('message', (m: ToLoad) => 'go' in m && resolve(m.go)),
  );
  try {
    const chatters = await Promise.all(Array.from({ length: 5 }, (_, i) => ChatUser.join(server.url, CHANNEL, `chatter${i}`, { keep: 5 })));
    send({ chatDone: { ms: await chatPhase(chatters, messages) } });
    const askers = await Promise.all(Array.from({ length: askerCount }, (_, i) => ChatUser.join(server.url, CHANNEL, `asker${i}`, { keep: 5 })));
    const t0 = performance.now();
    const latencies = (await Promise.all(askers.map((a, i) => askPhase(a, i, Math.ceil(commands / askers.length))))).flat();
    send({ commandsDone: { latencies, ms: performance.now() - t0 } });
    await new Promise((resolve) => process.once('message', resolve)); // bye: the bot has been measured
    for (const u of [...chatters, ...askers]) u.close();
  } catch (err) {
    send({ error: String((err as Error).stack ?? err) });
  }
  await server.stop();
  process.exit(0);
}

/** Send `total` lines with at most `window` in flight; end with a command so we know the bot has read them all. */
async function chatPhase(chatters: ChatUser[], total: number): Promise<number> {
  const window = 2000;
  let seen = 0;
  chatters[0]!.onChat((m) => {
    if (m.username.startsWith('chatter')) seen++;
  });
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    chatters[i % chatters.length]!.say(sentence(i));
    while (i - seen > window) await sleep(1);
  }
  const done = chatters[0]!.waitFor((m) => m.username === BOT && m.msg === 'chat-phase-done', 120_000);
  chatters[0]!.say('!echo chat-phase-done');
  await done;
  return performance.now() - t0;
}

async function askPhase(asker: ChatUser, id: number, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const tag = `q${id}-${i}`;
    const reply = asker.waitFor((m) => m.username === BOT && m.msg === tag, 30_000);
    const t = performance.now();
    asker.say(`!echo ${tag}`);
    await reply;
    latencies.push(performance.now() - t);
  }
  return latencies;
}

// ---- parent: the bot -------------------------------------------------------

function rssMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' }, commands: { type: 'string', default: '10000' }, askers: { type: 'string', default: '10' }, role: { type: 'string' } } });
  if (values.role === 'load') return loadRole();
  const messages = Number(values.messages);
  const commands = Number(values.commands);
  const askers = Number(values.askers);

  const child = fork(fileURLToPath(import.meta.url), ['--role', 'load'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const inbox: FromLoad[] = [];
  const waiters: (() => void)[] = [];
  child.on('message', (m: FromLoad) => {
    inbox.push(m);
    waiters.splice(0).forEach((w) => w());
  });
  const next = async <K extends string>(key: K): Promise<Extract<FromLoad, Record<K, unknown>>> => {
    for (;;) {
      const i = inbox.findIndex((m) => key in m || 'error' in m);
      if (i >= 0) {
        const m = inbox.splice(i, 1)[0]!;
        if ('error' in m) throw new Error(`load process: ${m.error}`);
        return m as Extract<FromLoad, Record<K, unknown>>;
      }
      await new Promise<void>((r) => waiters.push(r));
    }
  };

  const url = (await next('ready')).ready;
  const dataDir = mkdtempSync(join(tmpdir(), 'rosey-soak-'));
  const config = parseConfig(
    JSON.stringify({
      server: url,
      channel: CHANNEL,
      username: BOT,
      password_env: 'UNUSED',
      data_dir: dataDir,
      health: { port: 0 },
      features: { echo: true, markov: true, logging: true },
      chat_log: { max_bytes: 4 * 1048576, keep: 2 },
      rate_limit: { max_queue: 1000 },
    }),
  );
  config.rate_limit = { ...config.rate_limit, burst: 1e6, sustained: 1e6, cooldown: 1 }; // pacing lifted, see the header
  const bot = new Bot({ config, secrets: { password: new Secret(PASSWORD) }, log: createLogger('warn'), version: 'soak' });
  await bot.start();
  for (let i = 0; i < 400 && !bot.health().connected; i++) await sleep(25);
  if (!bot.health().connected) throw new Error('bot did not connect');
  await sleep(500);
  const rssBefore = rssMiB();

  child.send({ go: { messages, commands, askers } } satisfies ToLoad);
  const chat = (await next('chatDone')).chatDone;
  const rssAfterChat = rssMiB();
  const cmds = (await next('commandsDone')).commandsDone;
  await sleep(200);
  const rssAfter = rssMiB();
  const health = bot.health();
  await bot.stop();
  child.send({ bye: true } satisfies ToLoad);
  const disk = readdirSync(dataDir).map((f) => `${f} ${(statSync(join(dataDir, f)).size / 1048576).toFixed(1)} MiB`);
  rmSync(dataDir, { recursive: true, force: true });

  const sorted = [...cmds.latencies].sort((a, b) => a - b);
  const report = {
    messages,
    commands: sorted.length,
    concurrent_askers: askers,
    messages_per_second: Math.round(messages / (chat.ms / 1000)),
    commands_per_second: Math.round(sorted.length / (cmds.ms / 1000)),
    command_latency_ms: { p50: +percentile(sorted, 50).toFixed(2), p99: +percentile(sorted, 99).toFixed(2), max: +(sorted.at(-1) ?? NaN).toFixed(2) },
    rss_mib: { before: rssBefore, after_chat: rssAfterChat, after: rssAfter },
    bot: { requests: health.requests, errors: health.errors },
    data_dir: disk,
    gc_exposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bot-soak: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

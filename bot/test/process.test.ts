import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CytubeTestServer } from '../testing/cytube-server.js';
import { fuzzEvents } from './fuzz-events.js';
import { BOT_NAME, BOT_PASSWORD, CHANNEL, waitUntil } from './helpers.js';

// The real process: the esbuild bundle the deploy ships, and the TypeScript entry point.

const dir = mkdtempSync(join(tmpdir(), 'rosey-bot-proc-'));
const bundle = join(dir, 'rosey-bot.mjs');
let server: CytubeTestServer;

function writeConfig(name: string, config: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

function runConfig(): Record<string, unknown> {
  return {
    server: server.url,
    channel: CHANNEL,
    username: BOT_NAME,
    password_env: 'ROSEY_TEST_BOT_PASSWORD',
    data_dir: join(dir, 'data'),
    health: { host: '127.0.0.1', port: 0 },
    reconnect: { initial_delay: 0.05, max_delay: 0.5, kick_delay: 30 },
  };
}

beforeAll(async () => {
  const built = spawnSync(process.execPath, ['bot/scripts/build.mjs', '--outfile', bundle], { encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  server = new CytubeTestServer({ accounts: { [BOT_NAME]: BOT_PASSWORD } });
  await server.start();
}, 60_000);

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Start the bot, resolve with its health port once it logs it. */
function startBot(argv: string[], extra: Record<string, unknown> = {}): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, [...argv, '--config', writeConfig(`run-${Math.random()}.json`, { ...runConfig(), ...extra })], {
    env: { ...process.env, ROSEY_TEST_BOT_PASSWORD: BOT_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"msg":"health server listening".*?"port":(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), output: () => out });
    });
    child.on('exit', (code) => reject(new Error(`bot exited early (${code}): ${out}`)));
  });
}

async function healthStatus(port: number): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/api/health`)).status;
}

describe('rosey-bot process', () => {
  it('check-config (bundle) accepts the shipped configs and rejects a bad one, naming field, value and range', () => {
    for (const file of ['bot/config/test.json', 'bot/config/prod.json']) {
      const ok = spawnSync(process.execPath, [bundle, 'check-config', file], { encoding: 'utf8' });
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('valid');
    }
    const bad = writeConfig('bad.json', { ...runConfig(), timeout: 0.1 });
    const res = spawnSync(process.execPath, [bundle, 'check-config', bad], { encoding: 'utf8' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('timeout is 0.1: allowed range is a number from 1 to 300 seconds');
  });

  it('refuses to start without the password variable, saying which one', () => {
    const file = writeConfig('nopw.json', runConfig());
    const env = { ...process.env };
    delete env.ROSEY_TEST_BOT_PASSWORD;
    const res = spawnSync(process.execPath, [bundle, '--config', file], { encoding: 'utf8', env, timeout: 20_000 });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('password_env names the environment variable ROSEY_TEST_BOT_PASSWORD, which is not set or empty');
  });

  it.each([
    ['the bundle', 'SIGTERM', () => [bundle]],
    ['the TypeScript entry point', 'SIGINT', () => ['--import', 'tsx', 'bot/src/main.ts']],
  ] as const)('%s joins the channel and exits 0 on %s, leaving the channel', async (_what, signal, argv) => {
    const { child, port, output } = await startBot([...argv()]);
    await waitUntil(async () => (await healthStatus(port)) === 200, 'bot healthy');
    expect(server.users(CHANNEL)).toContain(BOT_NAME);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill(signal);
    expect(await exited, output()).toBe(0);
    expect(output()).toContain('"msg":"stopped"');
    await waitUntil(() => !server.users(CHANNEL).includes(BOT_NAME), 'bot left the channel');
  });

  it('the bundle, chat log on, drops malformed frames and keeps running: no "internal error" exit', async () => {
    const { child, port, output } = await startBot([bundle], { features: { logging: true } });
    await waitUntil(async () => (await healthStatus(port)) === 200 && server.users(CHANNEL).includes(BOT_NAME), 'bot healthy');
    let exited: number | null | undefined;
    child.on('exit', (code) => (exited = code));
    server.sendRaw(CHANNEL, BOT_NAME, 'chatMsg', { username: 'alice', msg: 'hi', meta: {}, time: 'NaN' });
    server.sendRaw(CHANNEL, BOT_NAME, 'pm', { username: 'alice', msg: 'hi', meta: {}, to: BOT_NAME });
    server.sendRaw(CHANNEL, BOT_NAME, 'login', null);
    const events = fuzzEvents(18, 500);
    for (const e of events) server.sendRaw(CHANNEL, BOT_NAME, e.event, ...e.args);
    const bad = 3 + events.filter((e) => e.bad).length;
    const health = async () => (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as Record<string, unknown>;
    await waitUntil(async () => (await health()).invalid_events === bad, `${bad} frames dropped`);
    expect(exited, output()).toBeUndefined();
    expect(await health()).toMatchObject({ status: 'ok', connected: true, user_count: 1 });
    expect(output()).not.toContain('internal error');
    const stopped = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await stopped).toBe(0);
  });
});

// Soak of the deployed stack (not a test): the seeds' 24-hour acceptance
// targets, accelerated. Boots the testbed (ROSEY_TESTBED_SLOT), starts the
// CyTube stand-in, applies playbooks/site.yml (unless --skip-deploy), then
// runs steady chat traffic through the bots' channel for --minutes and reports
// each figure from Prometheus' own data over that window:
//
//   ROSEY_TESTBED_SLOT=1 node --import tsx bench/stack-soak.ts [--minutes 30] [--users 5] [--skip-deploy]
//
// Writes bench/results/stack-soak.md. Leaves the testbed up (`npm run testbed -- down`).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ChatUser } from '../bot/testing/chat-user.js';
import { startChatServer } from '../scripts/chat-server.js';
import { up } from '../scripts/testbed/api.js';
import { REPO_ROOT } from '../scripts/testbed/config.js';
import { writeLocalInventory } from '../scripts/testbed/local-inventory.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, users: { type: 'string', default: '5' }, 'skip-deploy': { type: 'boolean', default: false } } });
const minutes = Number(values.minutes);
const PW = join(REPO_ROOT, 'inventory/local/vault-password.example');
const WORDS = 'the a movie song chat rosey night stream good bad funny loud quiet next skip again play pause cat dog tea coffee'.split(' ');
const COMMANDS = ['!version', '!uptime', '!users', '!help', '!echo soak'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (m: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

/** Async, not spawnSync: the chat server runs in this process and must keep answering the bots meanwhile. */
function node(args: string[], env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')}: exit ${code}`))));
  });
}

async function promValues(prom: string, query: string, at: number): Promise<Record<string, number>> {
  const r = await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(query)}&time=${at}`);
  const body = (await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return Object.fromEntries(body.data.result.map((s) => [s.metric.host ?? '', Number(s.value[1])]));
}

/**
 * Chat: every user says a line every 2 s; every 10 s one of them (in turn)
 * sends a command instead of its line, its answer awaited. Instead, not as
 * well: CyTube's antiflood (burst 4, then one line a second) drops a second
 * line sent in the same instant, so a command right after a line is lost.
 */
async function traffic(users: ChatUser[], until: number, stats: { lines: number; commands: number; answered: number }): Promise<void> {
  let i = 0;
  while (Date.now() < until) {
    const turn = i % 5 === 0 ? i / 5 : undefined;
    const asker = turn === undefined ? undefined : users[turn % users.length];
    for (const u of users) {
      if (u === asker) continue;
      u.say(Array.from({ length: 4 + (i % 7) }, (_, k) => WORDS[(i * 31 + k * 7) % WORDS.length]).join(' '));
      stats.lines++;
    }
    if (asker && turn !== undefined) {
      const cmd = COMMANDS[turn % COMMANDS.length]!;
      const answer = asker.waitFor((m) => m.username.startsWith('Rosey'), 10_000).then(() => stats.answered++, () => undefined);
      asker.say(cmd);
      stats.commands++;
      void answer;
    }
    i++;
    await sleep(2000);
  }
}

/** Each bot's /api/health from the controller every 5 s: latency in ms. */
async function pollHealth(addresses: string[], until: number, ms: number[]): Promise<void> {
  while (Date.now() < until) {
    for (const a of addresses) {
      const t = performance.now();
      try {
        await (await fetch(`http://${a}:8001/api/health`, { signal: AbortSignal.timeout(3000) })).text();
        ms.push(performance.now() - t);
      } catch {
        ms.push(NaN);
      }
    }
    await sleep(5000);
  }
}

async function main(): Promise<void> {
  const hosts = await up(3, log);
  const inventory = writeLocalInventory();
  const chat = await startChatServer(inventory, PW);
  if (!values['skip-deploy']) {
    await node([join(REPO_ROOT, 'bot/scripts/build.mjs')]);
    await node([join(REPO_ROOT, 'scripts/build-dashboard.mjs')]);
    log('applying site.yml');
    await node([join(REPO_ROOT, 'bin/rosey-apply.cjs'), join(REPO_ROOT, 'playbooks/site.yml'), '-i', inventory, '--output', 'plain'], { ROSEY_VAULT_PASSWORD_FILE: PW });
  }
  const bots = hosts.slice(0, 2).map((h) => h.address);
  const prom = `http://${hosts[2]!.address}:9090`;
  const users = await Promise.all(Array.from({ length: Number(values.users) }, (_, i) => ChatUser.join(chat.url, 'rosey', `soaker${i + 1}`)));
  // let Prometheus see a few scrapes of the settled bots first
  await sleep(10_000);
  const start = Date.now() / 1000;
  const until = Date.now() + minutes * 60_000;
  log(`soak: ${minutes} min, ${users.length} users, bots ${bots.join(', ')}`);
  const stats = { lines: 0, commands: 0, answered: 0 };
  const health: number[] = [];
  await Promise.all([traffic(users, until, stats), pollHealth(bots, until, health)]);
  await sleep(5000);
  const end = Date.now() / 1000;
  const w = `${Math.floor(end - start)}s`;
  const q = (query: string) => promValues(prom, query, end);
  const uptime = await q(`avg_over_time(up{job="rosey-bot"}[${w}]) * 100`);
  const connected = await q(`avg_over_time(rosey_bot_connected[${w}]) * 100`);
  const restarts = await q(`changes(process_start_time_seconds{job="rosey-bot"}[${w}])`);
  const errors = await q(`sum by (host) (increase(rosey_bot_errors_total[${w}])) / ${(end - start) / 60}`);
  const requests = await q(`sum by (host) (increase(rosey_bot_requests_total[${w}]))`);
  const growth = await q(`deriv(process_resident_memory_bytes{job="rosey-bot"}[${w}]) * 3600 / 1048576`);
  const rss = await q(`max_over_time(process_resident_memory_bytes{job="rosey-bot"}[${w}]) / 1048576`);
  const scrape = await q(`avg_over_time(scrape_duration_seconds{job="rosey-bot"}[${w}]) * 1000`);
  users.forEach((u) => u.close());
  await chat.stop();

  const ok = health.filter((x) => !Number.isNaN(x));
  const mean = ok.reduce((a, b) => a + b, 0) / Math.max(ok.length, 1);
  const names = Object.keys(uptime).sort();
  const row = (label: string, target: string, v: Record<string, number>, digits: number, pass: (x: number) => boolean) =>
    `| ${label} | ${target} | ${names.map((n) => `${(v[n] ?? NaN).toFixed(digits)}${pass(v[n] ?? NaN) ? '' : ' ✗'}`).join(' | ')} |`;
  const md = [
    `# Stack soak: ${minutes} min on the testbed (${new Date().toISOString().slice(0, 16)}Z)`,
    '',
    `\`ROSEY_TESTBED_SLOT=${process.env.ROSEY_TESTBED_SLOT ?? '0'} node --import tsx bench/stack-soak.ts --minutes ${minutes} --users ${users.length}\``,
    '',
    `Traffic: ${stats.lines} chat lines from ${users.length} users (one each per 2 s), ${stats.commands} commands (${stats.answered} answers seen). Figures from Prometheus over the ${w} window, per bot:`,
    '',
    `| figure | target | ${names.join(' | ')} |`,
    `| --- | --- | ${names.map(() => '---').join(' | ')} |`,
    row('uptime (up), %', '> 99.9', uptime, 3, (x) => x > 99.9),
    row('connected, % of the time', '> 99.9', connected, 3, (x) => x > 99.9),
    row('process restarts', '0', restarts, 0, (x) => x === 0),
    row('errors per minute', '< 0.1', errors, 3, (x) => x < 0.1),
    row('commands handled', '', requests, 0, () => true),
    row('memory growth, MB/h (deriv of RSS)', '< 10', growth, 2, (x) => x < 10),
    row('peak RSS, MB', '', rss, 1, () => true),
    row('/metrics scrape, ms (avg)', '< 50', scrape, 1, (x) => x < 50),
    '',
    `/api/health from the controller every 5 s: mean ${mean.toFixed(1)} ms over ${ok.length} requests (target < 50 ms), ${health.length - ok.length} failed.`,
    'Prometheus has no /api/health latency of its own (it scrapes /metrics, served by the same HTTP server and event loop), so that row is the nearest figure from its data; the controller measures /api/health itself.',
    '',
  ].join('\n');
  writeFileSync(join(REPO_ROOT, 'bench/results/stack-soak.md'), md);
  process.stdout.write(md);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`stack-soak: ${e instanceof Error ? e.stack : String(e)}`);
    process.exit(1);
  },
);

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer } from '../../scripts/chat-server.js';
import { down, up } from '../../scripts/testbed/api.js';
import type { CytubeTestServer } from '../../bot/testing/cytube-server.js';
import { ROOT, recap } from './harness.js';
import { exec, hosts } from './testbed.js';
import { dashboardToken, getJson, promQuery, resultAt, stackProject, timedRosey, until, VAULT_PASSWORD_FILE, type DashboardAlert, type TimedRun } from './stack.js';

// playbooks/site.yml by rosey-apply on three fresh testbed hosts (two bots,
// one monitoring + dashboard host), with the bots in the CyTube stand-in's
// channel: the whole stack up, idempotent, alerting through Alertmanager to
// the dashboard, and rolled back automatically and on demand.

interface Health {
  connected: boolean;
  version: string;
}
interface Status {
  environments: { name: string; bots: { name: string; state: string }[] }[];
}

let project: { dir: string; inventory: string };
let chat: CytubeTestServer;
let env: Record<string, string>;
let bots: { name: string; address: string }[];
let mon: string;
let prometheus: string;
let dashboard: string;

const apply = (playbook: string, ...args: string[]): Promise<TimedRun> => timedRosey([join(project.dir, 'playbooks', playbook), '-i', project.inventory, ...args], project.dir, env);
const health = (address: string) => getJson<Health>(`http://${address}:8001/api/health`);
const changedTotal = (r: TimedRun) => Object.values(recap(r)).reduce((n, c) => n + (c.changed ?? 0), 0);
const ok = (r: TimedRun) => `exit ${r.code}\n${r.stdout.slice(-4000)}\n${r.stderr}`;
const alerts = () => getJson<{ alerts: DashboardAlert[] }>(`${dashboard}/api/alerts?all=1`).then((a) => a.alerts);
/** A copy of the built bot with another VERSION, or one whose process exits at start. */
function botBuild(version: string, broken = false): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'rosey-e2e-bot-')), 'dist');
  cpSync(join(ROOT, 'bot/dist'), dir, { recursive: true });
  writeFileSync(join(dir, 'VERSION'), `${version}\n`);
  if (broken) writeFileSync(join(dir, 'rosey-bot.mjs'), "if (process.argv[2] === 'check-config') process.exit(0);\nconsole.error('broken release: exits at start');\nprocess.exit(1);\n");
  return `${dir}/`;
}

describe('site.yml, end to end on fresh hosts', () => {
  beforeAll(async () => {
    // What site.yml ships, from the code as it is (seconds: the dashboard's
    // native addon comes from the cache scripts/setup filled).
    execFileSync(process.execPath, [join(ROOT, 'bot/scripts/build.mjs')], { stdio: 'ignore' });
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-dashboard.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
    // Fresh hosts: earlier test files changed the shared ones.
    await down(() => undefined);
    await up(3, () => undefined);
    const list = hosts();
    bots = list.slice(0, 2);
    mon = list[2]!.address;
    prometheus = `http://${mon}:9090`;
    dashboard = `http://${mon}:5000`;
    project = stackProject();
    chat = await startChatServer(project.inventory, VAULT_PASSWORD_FILE);
    env = { ROSEY_VAULT_PASSWORD_FILE: VAULT_PASSWORD_FILE, ROSEY_DASHBOARD_TOKEN: dashboardToken() };
  });

  afterAll(async () => {
    await chat?.stop();
    // Leave fresh hosts to the test files after this one, not a running stack.
    await down(() => undefined);
    await up(3, () => undefined);
  });

  let firstRun: string;
  it('deploys bots, dashboard, Prometheus and Alertmanager; every bot connected, scraped up, shown up', async () => {
    const r = await apply('site.yml');
    expect(r.code, ok(r)).toBe(0);
    firstRun = String(r.events.find((e) => e.event === 'run-start')?.runId);
    console.log(`site.yml on 3 fresh hosts: ${(r.ms / 1000).toFixed(1)} s`);
    for (const b of bots) expect(await health(b.address)).toMatchObject({ connected: true, version: readFileSync(join(ROOT, 'bot/dist/VERSION'), 'utf8').trim() });
    const up = await until('Prometheus to scrape both bots up', async () => {
      const v = await promQuery(prometheus, 'up{job="rosey-bot"}');
      return Object.keys(v).length === 2 && Object.values(v).every((x) => x === '1') ? v : undefined;
    });
    expect(Object.keys(up).sort()).toEqual(bots.map((b) => b.name));
    const connected = await until('rosey_bot_connected == 1 for both', async () => {
      const v = await promQuery(prometheus, 'rosey_bot_connected');
      return Object.keys(v).length === 2 && Object.values(v).every((x) => x === '1') ? v : undefined;
    });
    expect(Object.keys(connected).sort()).toEqual(bots.map((b) => b.name));
    const status = await until('the dashboard to show both bots up', async () => {
      const s = await getJson<Status>(`${dashboard}/api/status`);
      const local = s.environments.find((e) => e.name === 'local');
      return local?.bots.length === 2 && local.bots.every((b) => b.state === 'up') ? local : undefined;
    });
    expect(status.bots.map((b) => b.name).sort()).toEqual(bots.map((b) => b.name));
    const deployments = await getJson<{ deployments: { id: string; status: string }[] }>(`${dashboard}/api/deployments`);
    expect(deployments.deployments).toContainEqual(expect.objectContaining({ id: firstRun, status: 'ok' }));
  });

  it('verify.yml passes, its chat smoke test included: a guest\'s !version gets each bot\'s answer', async () => {
    const said: string[] = [];
    const listen = (_channel: string, m: { username: string; msg: string }) => said.push(`${m.username}: ${m.msg}`);
    chat.on('chat', listen);
    const r = await apply('verify.yml');
    chat.off('chat', listen);
    expect(r.code, ok(r)).toBe(0);
    const smoke = r.events.filter((e) => e.event === 'host-result' && e.task === "bot : A command sent through the chat gets the bot's answer");
    expect(smoke.map((e) => `${String(e.host)} ${String(e.status)}`).sort()).toEqual(bots.map((b) => `${b.name} ok`));
    // what went through the chat server: the guests' commands and both bots' answers
    const version = readFileSync(join(ROOT, 'bot/dist/VERSION'), 'utf8').trim();
    expect(said.filter((l) => l.endsWith(': !version'))).toHaveLength(2);
    for (const name of ['Rosey1', 'Rosey2']) expect(said).toContain(`${name}: Rosey bot ${version}`);
  });

  it('a second run changes nothing', async () => {
    const r = await apply('site.yml');
    expect(r.code, ok(r)).toBe(0);
    expect(changedTotal(r), ok(r)).toBe(0);
  });

  it('after a template changes, --check --diff shows exactly that diff and changes nothing', async () => {
    const template = join(project.dir, 'roles/common/templates/journald.conf.hbs');
    const before = readFileSync(template, 'utf8');
    appendFileSync(template, '# changed by the end-to-end test\n');
    try {
      const r = await apply('site.yml', '--check', '--diff');
      expect(r.code, ok(r)).toBe(0);
      const changed = r.events.filter((e) => e.event === 'host-result' && e.status === 'changed');
      // the template, and the handler it notifies (predicted, not run)
      expect(changed.map((e) => `${String(e.host)} ${String(e.task)}`).sort()).toEqual(
        hosts().flatMap((h) => [`${h.name} common : journald retention`, `${h.name} common : restart journald`]),
      );
      for (const e of changed.filter((x) => x.task === 'common : journald retention')) {
        const [change] = e.changes as { content?: { before: string; after: string }; attrs?: Record<string, unknown> }[];
        expect(change?.content?.after).toBe(`${change?.content?.before ?? ''}# changed by the end-to-end test\n`);
        expect(Object.keys(change?.attrs ?? {})).toEqual([]);
      }
      for (const h of hosts()) expect((await exec(h.name, 'cat /etc/systemd/journald.conf.d/rosey.conf')).stdout).not.toContain('end-to-end');
    } finally {
      writeFileSync(template, before);
    }
  });

  it('a stopped bot fires RoseyBotDown, which reaches the dashboard through Alertmanager; started again, it resolves', async () => {
    const [b] = bots;
    const down = (status: string) => async () =>
      (await alerts()).find((a) => a.alertname === 'RoseyBotDown' && a.labels.host === b!.name && a.status === status);
    const t0 = Date.now();
    await exec(b!.name, 'systemctl stop rosey-bot');
    const fired = await until('RoseyBotDown firing on the dashboard', down('firing'), 90);
    console.log(`RoseyBotDown on the dashboard ${((Date.now() - t0) / 1000).toFixed(1)} s after the stop`);
    expect(fired.labels).toMatchObject({ severity: 'critical', env: 'local' });
    const t1 = Date.now();
    await exec(b!.name, 'systemctl start rosey-bot');
    await until('RoseyBotDown resolved on the dashboard', down('resolved'), 90);
    console.log(`resolved on the dashboard ${((Date.now() - t1) / 1000).toFixed(1)} s after the start`);
    await until('the bot connected again', async () => ((await health(b!.address)).connected ? true : undefined));
  });

  it('a release that exits at start is rolled back by the rescue; rollback.yml then goes back one more release', async () => {
    const v1 = readFileSync(join(ROOT, 'bot/dist/VERSION'), 'utf8').trim();
    const v2 = `${v1}-e2e.2`;
    const second = await apply('bot.yml', '-e', `bot_dist=${botBuild(v2)}`);
    expect(second.code, ok(second)).toBe(0);
    for (const b of bots) expect((await health(b.address)).version).toBe(v2);

    const [b1, b2] = bots as [{ name: string; address: string }, { name: string; address: string }];
    const broken = await apply('bot.yml', '-e', `bot_dist=${botBuild(`${v1}-broken`, true)}`);
    expect(broken.code, ok(broken)).toBe(2);
    expect(broken.stdout).toContain('The new release of the bot did not come up connected');
    // the first bot was rolled back and is healthy on v2; serial: 1 and max_fail_percentage: 0 spared the second
    expect(await health(b1.address)).toMatchObject({ connected: true, version: v2 });
    expect(await health(b2.address)).toMatchObject({ connected: true, version: v2 });
    expect(broken.events.some((e) => e.event === 'host-result' && e.host === b2.name && e.task === 'bot : Upload the bot bundle as a new release (keep 5)')).toBe(false);
    const failedAt = resultAt(broken, b1.name, 'bot : Health answers connected with that version', 0);
    const healthyAt = resultAt(broken, b1.name, 'bot : Health answers connected with that version', 1);
    expect(failedAt?.status).toBe('failed');
    expect(healthyAt?.status).toBe('ok');
    console.log(`automatic rollback (rescue: flip back, restart, healthy): ${((healthyAt!.ms - failedAt!.ms) / 1000).toFixed(1)} s`);

    const back = await apply('rollback.yml', '-e', JSON.stringify({ reason: 'end-to-end test' }));
    expect(back.code, ok(back)).toBe(0);
    for (const b of bots) expect(await health(b.address)).toMatchObject({ connected: true, version: v1 });
    console.log(`rollback.yml (2 bots, one at a time, each verified): ${(back.ms / 1000).toFixed(1)} s`);
  });
});

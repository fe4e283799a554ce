import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertmanagerPayload, hostRecord, runRecord, startDashboard, TOKEN, type Running } from './builders.js';

const SHOTS = join(process.cwd(), 'test-output', 'dashboard');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let browser: Browser;
let profile: string;
let bot: Server;
let d: Running;
let page: Page;
let consoleErrors: string[];

async function healthyBot(): Promise<string> {
  bot = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({ status: 'ok', connected: true, channel: 'rosey', uptime: 93_784, version: '1.4.0', user_count: 17, requests: 1204, errors: 3 }),
    );
  });
  bot.listen(0, '127.0.0.1');
  await once(bot, 'listening');
  return `http://127.0.0.1:${(bot.address() as AddressInfo).port}/api/health`;
}

/** A week of deployments over three environments, two active alerts and a resolved one. */
async function seed(r: Running): Promise<void> {
  const day = (n: number, h = 10) => new Date(Date.UTC(2026, 10, 17 + n, h, 0)).toISOString();
  const runs = [
    runRecord({ environment: 'test', startedAt: day(0), durationMs: 95_000, version: '1.2.0', reason: 'weekly release' }),
    runRecord({ environment: 'prod', startedAt: day(1), durationMs: 140_000, version: '1.2.0', user: 'bob' }),
    runRecord({ environment: 'test', startedAt: day(2), durationMs: 61_000, version: '1.3.0' }),
    runRecord({
      environment: 'prod', startedAt: day(3), durationMs: 410_000, version: '1.3.0', status: 'failed', reason: 'release 1.3.0',
      hosts: [hostRecord({ host: 'bot1.prod', status: 'failed', tasks: [{ name: 'Wait for health', module: 'uri', status: 'failed', source: 'roles/bot/tasks/main.yml:40:3', changes: [], msg: 'status 503 after 10 retries' }] })],
    }),
    runRecord({ environment: 'prod', startedAt: day(3, 11), durationMs: 52_000, version: '1.2.0', rollbackOf: 'x', reason: 'roll back 1.3.0' }),
    runRecord({ environment: 'local', startedAt: day(4), durationMs: 33_000, version: '1.4.0-rc1', status: 'unreachable', hosts: [hostRecord({ host: 'local1', status: 'unreachable', tasks: [] })] }),
    runRecord({ environment: 'test', startedAt: day(5), durationMs: 73_000, version: '1.4.0' }),
    runRecord({
      environment: 'prod', startedAt: day(6), durationMs: 128_000, version: '1.4.0', user: 'alice', reason: 'release 1.4.0',
      hosts: [hostRecord({ host: 'bot1.prod' }), hostRecord({ host: 'bot2.prod', status: 'ok', counts: { ok: 12, changed: 0, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 }, tasks: [] })],
    }),
  ];
  for (const run of runs) expect((await r.post('/api/deployments', run)).status).toBe(201);
  await r.post('/api/alerts', alertmanagerPayload([
    { name: 'BotDisconnected', severity: 'critical', summary: 'bot2.test is not connected to its channel', instance: 'bot2.test:8001', startsAt: new Date(Date.now() - 40 * 60_000).toISOString() },
    { name: 'HighErrorRate', severity: 'warning', summary: 'more than 5% of bot1.prod requests fail', instance: 'bot1.prod:8000', startsAt: new Date(Date.now() - 5 * 60_000).toISOString() },
  ]));
  await r.post('/api/alerts', alertmanagerPayload([{ name: 'BotDown', status: 'resolved', summary: 'was down', endsAt: new Date().toISOString() }]));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Playwright gives every plain launch a fresh temporary profile (it refuses --user-data-dir here);
  // its temp dirs go under this one so nothing is left behind.
  profile = mkdtempSync(join(tmpdir(), 'rosey-chromium-'));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, env: { ...process.env, TMPDIR: profile } });
});
afterAll(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
});

beforeEach(async () => {
  const healthUrl = await healthyBot();
  d = await startDashboard({
    config: {
      environments: [
        { name: 'prod', bots: [{ name: 'bot1.prod', url: healthUrl }, { name: 'bot2.prod', url: 'http://127.0.0.1:9/api/health' }] },
        { name: 'test', bots: [{ name: 'bot1.test', url: healthUrl }] },
      ],
      pollTimeoutMs: 1_000,
    },
  });
  await seed(d);
  await d.dashboard.poller.pollNow();
  consoleErrors = [];
});
afterEach(async () => {
  await page?.context().close();
  await d.stop();
  bot.closeAllConnections();
  await new Promise((r) => bot.close(r));
});

async function open(viewport: { width: number; height: number }, withClock = false): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: 'light' });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  if (withClock) await page.clock.install();
  await page.goto(d.url);
  await page.locator('#history tr').first().waitFor();
  return page;
}

describe('dashboard page in Chromium', () => {
  it('shows environment cards, stats, the chart, active alerts and the history; filters and opens a run', async () => {
    const p = await open({ width: 1280, height: 900 });

    const prod = p.locator('.card[data-env="prod"]');
    await expect.poll(() => prod.locator('.bot').count()).toBe(2);
    expect(await prod.locator('.bot[data-state="up"]').textContent()).toContain('17 users');
    expect(await prod.locator('.bot[data-state="unreachable"]').textContent()).toContain('unreachable');
    expect(await prod.locator('.last').textContent()).toContain('v1.4.0');
    expect(await p.locator('.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-env')))).toEqual(['prod', 'test', 'local']);

    expect(await p.locator('#stats .tile').allTextContents()).toEqual(
      expect.arrayContaining(['Deployments8', 'Success rate75.0%', 'Failures2']),
    );
    expect(await p.locator('#chart rect').count()).toBe(8);

    const alerts = p.locator('#alerts .alert');
    expect(await alerts.count()).toBe(2);
    expect(await alerts.allTextContents()).toEqual([expect.stringContaining('HighErrorRate'), expect.stringContaining('BotDisconnected')]);
    expect(await p.locator('#alerts').textContent()).not.toContain('BotDown');

    expect(await p.locator('#history tr').count()).toBe(8);
    await p.screenshot({ path: join(SHOTS, 'desktop.png'), fullPage: true });

    await p.selectOption('#filter-env', 'prod');
    await expect.poll(() => p.locator('#history tr').count()).toBe(4);
    expect(new Set(await p.locator('#history tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-env'))))).toEqual(new Set(['prod']));
    await p.selectOption('#filter-status', 'failed');
    await expect.poll(() => p.locator('#history tr').count()).toBe(1);
    await p.selectOption('#filter-status', '');
    await expect.poll(() => p.locator('#history tr').count()).toBe(4);

    await p.locator('#history tr').first().click();
    const dialog = p.locator('#detail');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.locator('.host').count()).toBe(2);
    const host = dialog.locator('.host[data-host="bot1.prod"]');
    expect(await host.textContent()).toContain('update /etc/rosey/bot.json');
    expect(await host.textContent()).toContain('Install the release');
    expect(await dialog.locator('.meta').textContent()).toContain('release 1.4.0');
    await p.screenshot({ path: join(SHOTS, 'desktop-detail.png') });
    await p.locator('#detail-close').click();
    await dialog.waitFor({ state: 'hidden' });

    expect(consoleErrors).toEqual([]);
  });

  it('shows per environment whether it matches its playbooks, when it last did, and what drifted', async () => {
    const check = (environment: string, hoursAgo: number, changed: boolean) => {
      const at = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
      const host = changed ? hostRecord({ host: `bot1.${environment}` }) : hostRecord({ host: `bot1.${environment}`, status: 'ok', counts: { ok: 9, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }, tasks: [] });
      return runRecord({ environment, check: true, startedAt: at, finishedAt: at, durationMs: 1000, hosts: [host] });
    };
    expect((await d.post('/api/drift', check('prod', 30, false))).status).toBe(200);
    await d.post('/api/drift', check('prod', 2, true));
    await d.post('/api/drift', check('test', 1, false));
    const p = await open({ width: 1280, height: 900 });

    const prod = p.locator('.card[data-env="prod"] .drift');
    await prod.waitFor();
    expect(await prod.getAttribute('data-drift')).toBe('drift');
    expect(await prod.locator('p').textContent()).toMatch(/drifted\s+last matched 30h ago · checked 2h ago/);
    await prod.locator('summary').click();
    expect(await prod.locator('summary').textContent()).toBe('2 tasks would change');
    expect(await prod.locator('li').allTextContents()).toEqual(['bot1.prod Install the release (new release 1.4.0)', 'bot1.prod Write bot config (update /etc/rosey/bot.json)']);
    expect(await prod.locator('li').first().isVisible()).toBe(true);

    const test = p.locator('.card[data-env="test"] .drift');
    expect(await test.getAttribute('data-drift')).toBe('match');
    expect(await test.textContent()).toMatch(/matches its playbooks\s+last matched 1h ago/);
    expect(await test.locator('details').count()).toBe(0);
    expect(await p.locator('.card[data-env="local"] .drift').textContent()).toBe('drift: never checked');
    await p.screenshot({ path: join(SHOTS, 'drift.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it('is readable on a 390 px phone screen, with no sideways scrolling', async () => {
    const p = await open({ width: 390, height: 844 });
    await expect.poll(() => p.locator('.card').count()).toBe(3);
    // Strings, not functions: this file is type-checked without the DOM library.
    const overflow = await p.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await p.screenshot({ path: join(SHOTS, 'phone.png'), fullPage: true });
    await p.screenshot({ path: join(SHOTS, 'phone-top.png') });
    await p.evaluate("document.getElementById('history-title').scrollIntoView()");
    await p.screenshot({ path: join(SHOTS, 'phone-history.png') });
    await p.locator('#history tr').nth(4).click();
    await p.locator('#detail').waitFor({ state: 'visible' });
    await p.screenshot({ path: join(SHOTS, 'phone-detail.png') });
    expect(consoleErrors).toEqual([]);
  });

  it('refreshes itself every 30 s without reloading the page', async () => {
    const p = await open({ width: 1280, height: 900 }, true);
    await p.evaluate('window.marker = 42');
    const fresh = runRecord({ environment: 'test', version: '9.9.9', startedAt: new Date().toISOString() });
    await d.post('/api/deployments', fresh);
    await d.post('/api/alerts', alertmanagerPayload([{ name: 'DeploymentSlow', severity: 'warning', summary: 'slow deploy' }]));
    expect(await p.locator(`#history tr[data-id="${fresh.id}"]`).count()).toBe(0);

    await p.clock.fastForward(30_000);
    await p.locator(`#history tr[data-id="${fresh.id}"]`).waitFor();
    expect(await p.locator('#alerts .alert').count()).toBe(3);
    expect(await p.evaluate('window.marker')).toBe(42); // the same document: no reload
    expect(consoleErrors).toEqual([]);
  });

  it('asks for the token when reads are private, then shows the data', async () => {
    const ownData = await startDashboard({ config: { publicReads: false } });
    try {
      await ownData.post('/api/deployments', runRecord({ environment: 'prod' }));
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      await page.goto(ownData.url);
      await page.locator('#token-form').waitFor({ state: 'visible' });
      expect(await page.locator('#history tr').count()).toBe(0);
      await page.fill('#token-input', TOKEN);
      await page.click('#token-form button');
      await page.locator('#history tr').first().waitFor();
      expect(await page.locator('#token-form').isHidden()).toBe(true);
      expect(consoleErrors).toEqual([]);
    } finally {
      await ownData.stop();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/dashboard/config.js';
import { addressOf, ENVIRONMENTS, renderRoleTemplate, ROOT, roleVars, tempFile } from './render.js';

/** The bot's own validator, as the role's `validate:` runs it (`rosey-bot check-config FILE`). */
function checkConfig(file: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bot/src/main.ts'), 'check-config', file], { cwd: ROOT, encoding: 'utf8' });
  return { rc: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Directives systemd does not know are only warnings (exit 0): any output is a failure here. */
function verifyUnit(text: string) {
  const r = spawnSync('systemd-analyze', ['verify', tempFile('rosey-test.service', text)], { encoding: 'utf8' });
  return { rc: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

const UNITS = [
  ['bot', 'rosey-bot.service.hbs'],
  ['dashboard', 'rosey-dashboard.service.hbs'],
] as const;

describe.each(ENVIRONMENTS)('service files rendered for inventory/%s', (env) => {
  it("bot config passes the bot's own check-config", async () => {
    const vars = await roleVars(env, 'bot', 'bots');
    const r = checkConfig(tempFile('config.json', renderRoleTemplate('bot', 'config.json.hbs', vars)));
    expect(r.output).not.toMatch(/error/i);
    expect(r.rc).toBe(0);
  });

  it('bot config with a 0.1 s timeout is refused by that check (so validate: keeps it off the host)', async () => {
    const vars = await roleVars(env, 'bot', 'bots', { bot_timeout: 0.1 });
    const r = checkConfig(tempFile('config.json', renderRoleTemplate('bot', 'config.json.hbs', vars)));
    expect(r.rc).toBe(1);
    expect(r.output).toMatch(/timeout/);
  });

  it.each(UNITS)('%s unit passes systemd-analyze verify and is hardened', async (role, template) => {
    const vars = await roleVars(env, role, role === 'bot' ? 'bots' : 'dashboard');
    const text = renderRoleTemplate(role, template, vars);
    expect(verifyUnit(text)).toEqual({ rc: 0, output: '' });
    for (const line of ['Restart=on-failure', 'NoNewPrivileges=true', 'ProtectSystem=strict', 'ProtectHome=true', 'PrivateTmp=true']) expect(text).toContain(`\n${line}\n`);
    expect(text).toMatch(/\nRestartSec=\d+\n/);
    expect(text).toMatch(/\nReadWritePaths=\/var\/lib\/rosey-(bot|dashboard)\n/);
    expect(text).toMatch(/\nEnvironmentFile=\/etc\/rosey-(bot|dashboard)\/env\n/);
  });

  it('systemd-analyze verify would catch a misspelt directive', () => {
    expect(verifyUnit('[Service]\nExecStart=/bin/true\nRestartSecc=2\n').output).toMatch(/Unknown key 'RestartSecc'/);
  });

  it('environment files carry the secret decrypted from the vault', async () => {
    const vars = await roleVars(env, 'bot', 'bots');
    expect(renderRoleTemplate('bot', 'env.hbs', vars)).toContain(`\nROSEY_BOT_PASSWORD='example-bot-password-${env}'\n`);
    const dash = await roleVars(env, 'dashboard', 'dashboard');
    expect(renderRoleTemplate('dashboard', 'env.hbs', dash)).toContain(`\nROSEY_DASHBOARD_TOKEN='example-dashboard-token-${env}-0123456789abcdef'\n`);
  });

  it("dashboard config is accepted by the dashboard's own loader and polls every bot", async () => {
    const vars = await roleVars(env, 'dashboard', 'dashboard');
    const config = loadConfig(tempFile('dashboard.json', renderRoleTemplate('dashboard', 'dashboard.json.hbs', vars)));
    const bots = (vars.groups as Record<string, string[]>).bots ?? [];
    expect(config.environments).toEqual([
      { name: env, bots: bots.map((b) => ({ name: b, url: `http://${addressOf(vars, b)}:${String(vars.bot_health_port)}/api/health` })) },
    ]);
  });
});

describe('rosey-release (the bot role’s release tool)', () => {
  const tool = join(ROOT, 'roles/bot/files/rosey-release');
  const run = (...args: string[]) => {
    const r = spawnSync('/bin/sh', [tool, ...args], { encoding: 'utf8' });
    return { rc: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  /** Three releases r1 < r2 < r3 (by modification time), current -> r3. */
  function base(): string {
    const dir = mkdtempSync(join(tmpdir(), 'rosey-release-'));
    const sh = (cmd: string) => spawnSync('/bin/sh', ['-c', cmd], { cwd: dir });
    sh('mkdir -p releases/r1 releases/r2 releases/r3 && for r in r1 r2 r3; do echo "1.0.$r" > releases/$r/VERSION; done');
    sh("touch -d '2026-01-01 00:00Z' releases/r1 && touch -d '2026-01-02 00:00Z' releases/r2 && touch -d '2026-01-03 00:00Z' releases/r3 && ln -s releases/r3 current");
    return dir;
  }

  it('is executable', () => {
    chmodSync(tool, 0o755);
    expect(readFileSync(tool, 'utf8').startsWith('#!/bin/sh\n')).toBe(true);
  });

  it('lists id, version, date and the current one, newest first', () => {
    expect(run('list', base()).stdout).toBe('r3\t1.0.r3\t2026-01-03T00:00:00Z\tcurrent\nr2\t1.0.r2\t2026-01-02T00:00:00Z\t\nr1\t1.0.r1\t2026-01-01T00:00:00Z\t\n');
  });

  it('rolls back one release at a time, then refuses past the oldest', () => {
    const dir = base();
    expect(run('rollback', dir).stdout).toBe('r3\tr2\n');
    expect(run('rollback', dir).stdout).toBe('r2\tr1\n');
    const last = run('rollback', dir);
    expect(last.rc).toBe(1);
    expect(last.stderr).toContain('no release older than r1');
    expect(run('list', dir).stdout).toContain('r1\t1.0.r1\t2026-01-01T00:00:00Z\tcurrent');
  });

  it('goes to a named release, and refuses an unknown one or a path', () => {
    const dir = base();
    expect(run('rollback', dir, 'r1').stdout).toBe('r3\tr1\n');
    expect(run('rollback', dir, 'r9')).toMatchObject({ rc: 1, stderr: expect.stringContaining('no release r9') });
    expect(run('rollback', dir, '../etc')).toMatchObject({ rc: 1, stderr: expect.stringContaining('not a release id') });
    expect(run('list', dir).stdout).toContain('r1\t1.0.r1\t2026-01-01T00:00:00Z\tcurrent');
  });
});

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/parse.js';
import { acquireLock, releaseCmd } from '../../../src/runner/host-lock.js';
import { lockedConnect } from '../../../src/runner/locked-connect.js';
import { ExecCounter } from '../../../src/transport/exec-count.js';
import { lockDirFor } from '../../../src/transport/host-paths.js';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';
import { raw, sh } from '../../../src/transport/quote.js';

/**
 * The run lock is taken with the host's first command, which rides along
 * when it is a quick read (runner/locked-connect.ts): what that command gets
 * back must be what it gets alone, and nothing may run without the lock.
 */
const host = `lock-ride-${process.pid}`;
const options = (flags: string[] = []) => parseArgs(['site.yml', '-i', 'hosts', ...flags], { user: 'test', journalDir: '/nonexistent', tty: false, canPrompt: false, ci: true });

function locks(counter: ExecCounter, flags: string[] = []) {
  return lockedConnect(async (spec) => counter.wrap(new LocalConnection(spec)), { runId: `run-${process.pid}`, playbook: 'site.yml', options: options(flags), reporter: { event: () => undefined, close: async () => undefined } });
}

describe.skipIf(process.getuid?.() !== 0)('the run lock taken with the first command', () => {
  afterEach(async () => {
    await new LocalConnection(localSpec()).exec(sh`rm -rf ${lockDirFor(host)}`);
  });

  it('a quick first read rides along: one command, and its output, stderr and exit status as alone', async () => {
    const counter = new ExecCounter();
    const l = locks(counter);
    const conn = await l.connect(localSpec(host));
    expect(counter.total(host)).toBe(0);
    const cmd = raw("printf 'no newline at the end'; echo oops >&2; exit 3");
    const alone = await new LocalConnection(localSpec()).exec(cmd);
    const got = await conn.exec(cmd, { quick: true });
    expect(got).toEqual(alone);
    expect(counter.total(host)).toBe(1);
    expect(existsSync(lockDirFor(host))).toBe(true);
    // later commands run alone, under the lock already held
    expect(await conn.exec(raw('printf "a\\n\\n"'), { quick: true })).toEqual({ rc: 0, stdout: 'a\n\n', stderr: '' });
    expect(counter.total(host)).toBe(2);
    await l.releaseAll();
    expect(existsSync(lockDirFor(host))).toBe(false);
  });

  it('anything else first waits for the lock in a command of its own', async () => {
    const counter = new ExecCounter();
    const conn = await locks(counter).connect(localSpec(host));
    expect(await conn.exec(raw('echo acting'))).toMatchObject({ rc: 0, stdout: 'acting\n' });
    expect(counter.total(host)).toBe(2);
  });

  it('a lock another run holds: the first command never runs, and every later one fails the same, at once', async () => {
    const dir = lockDirFor(host);
    const local = new LocalConnection(localSpec());
    await acquireLock(local, { run: 'other', user: 'x', playbook: 'p', started: 'now' }, { dir, timeoutMs: 1000, staleAfterMs: 90_000, pollMs: 100 });
    const counter = new ExecCounter();
    const conn = await locks(counter, ['--lock-timeout', '1']).connect(localSpec(host));
    const marker = join(mkdtempSync(join(tmpdir(), 'rosey-ride-')), 'ran');
    await expect(conn.exec(sh`touch ${marker}`, { quick: true })).rejects.toThrow(/locked by run other/);
    expect(existsSync(marker)).toBe(false);
    const before = counter.total(host);
    await expect(conn.exec(sh`touch ${marker}`, { quick: true })).rejects.toThrow(/locked by run other/);
    expect(counter.total(host)).toBe(before);
    await local.exec(releaseCmd(dir, 'other'));
  });

  it('--check takes no lock', async () => {
    const counter = new ExecCounter();
    const conn = await locks(counter, ['--check']).connect(localSpec(host));
    await conn.exec(raw('true'), { quick: true });
    expect(existsSync(lockDirFor(host))).toBe(false);
  });
});

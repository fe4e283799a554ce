import { mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, breakCmd, heartbeatCmd, releaseCmd, type LockHolder, type LockSettings } from '../../../src/runner/host-lock.js';
import { LocalConnection, localSpec } from '../../../src/transport/local.js';

const conn = new LocalConnection(localSpec());
const holder = (run: string): LockHolder => ({ run, user: 'ann', playbook: "site'; rm -rf /.yml", started: '2026-11-27T03:00:00Z' });
const settings = (dir: string, timeoutMs = 300): LockSettings => ({ dir, timeoutMs, staleAfterMs: 60_000, pollMs: 50 });

describe('the per-host run lock', () => {
  it('one run takes it; a second waits, then is told who holds it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rosey-lock-')), 'lock');
    expect(await acquireLock(conn, holder('run-1'), settings(dir))).toEqual({ kind: 'acquired' });
    const second = await acquireLock(conn, holder('run-2'), settings(dir, 200));
    expect(second).toMatchObject({ kind: 'busy', holder: holder('run-1') });
  });

  it('after release the next run takes it; a release or heartbeat by another run changes nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rosey-lock-')), 'lock');
    await acquireLock(conn, holder('run-1'), settings(dir));
    await conn.exec(releaseCmd(dir, 'run-2'));
    await conn.exec(heartbeatCmd(dir, 'run-2'));
    expect((await acquireLock(conn, holder('run-2'), settings(dir, 100))).kind).toBe('busy');
    await conn.exec(releaseCmd(dir, 'run-1'));
    expect(await acquireLock(conn, holder('run-2'), settings(dir))).toEqual({ kind: 'acquired' });
  });

  it('a command rides along with taking the lock, and only then', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rosey-lock-')), 'lock');
    const along = { ...settings(dir), along: { text: 'echo one; echo two', display: 'echo' } };
    expect(await acquireLock(conn, holder('run-1'), along)).toEqual({ kind: 'acquired', along: 'one\ntwo\n', stderr: '' });
    expect(await acquireLock(conn, holder('run-1'), along)).toEqual({ kind: 'acquired', along: 'one\ntwo\n', stderr: '' });
    expect(await acquireLock(conn, holder('run-2'), { ...along, timeoutMs: 100 })).toMatchObject({ kind: 'busy' });
  });

  it('a lock whose holder stopped refreshing it is stale: taken over, naming the run that left it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rosey-lock-')), 'lock');
    await acquireLock(conn, holder('crashed'), settings(dir));
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(join(dir, 'holder.json'), old, old);
    expect(await acquireLock(conn, holder('run-3'), settings(dir))).toEqual({ kind: 'acquired', tookOverFrom: holder('crashed') });
  });

  it('unlock removes it whoever holds it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rosey-lock-')), 'lock');
    await acquireLock(conn, holder('run-1'), settings(dir));
    const r = await conn.exec(breakCmd(dir));
    expect(r.stdout).toContain('"run":"run-1"');
    expect((await acquireLock(conn, holder('run-2'), settings(dir))).kind).toBe('acquired');
  });
});

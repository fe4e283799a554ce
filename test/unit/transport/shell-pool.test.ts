import { afterEach, describe, expect, it } from 'vitest';
import type { Become } from '../../../src/transport/connection.js';
import { ShellPool } from '../../../src/transport/shell-pool.js';
import { localSession } from './local-shell.js';

const pools: ShellPool[] = [];
afterEach(() => {
  for (const p of pools.splice(0)) p.closeAll();
});

/** A pool of local shells that records which users it started one for. */
function pool(server?: string): { pool: ShellPool; started: string[] } {
  const started: string[] = [];
  const p = new ShellPool(async (become: Become | undefined) => {
    started.push(become?.user ?? '');
    return localSession(server);
  });
  pools.push(p);
  return { pool: p, started };
}

const ROOT = { user: 'root' };

describe('a connection\'s long-lived shells', () => {
  it('starts one shell per user on first use and reuses it', async () => {
    const { pool: p, started } = pool();
    expect(await p.run('echo a', undefined)).toMatchObject({ rc: 0, stdout: 'a\n' });
    expect(await p.run('echo b', undefined)).toMatchObject({ stdout: 'b\n' });
    expect(await p.run('echo c', ROOT)).toMatchObject({ stdout: 'c\n' });
    expect(started).toEqual(['', 'root']);
  });

  it('sends the caller to a channel of its own while the shell is busy or starting', async () => {
    const { pool: p } = pool();
    const first = p.run('sleep 0.2; echo slow', undefined);
    // still starting
    expect(await p.run('echo fast', undefined)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    // running the first command
    expect(await p.run('echo fast', undefined)).toBeUndefined();
    expect(await first).toMatchObject({ stdout: 'slow\n' });
    expect(await p.run('echo free', undefined)).toMatchObject({ stdout: 'free\n' });
  });

  it('never keeps a shell for another become user: sudo gives each command that user\'s groups as they are now', async () => {
    const { pool: p, started } = pool();
    expect(await p.run('id', { user: 'postgres' })).toBeUndefined();
    expect(started).toEqual([]);
  });

  it('a shell that cannot start (sudo refused) sends that user\'s commands elsewhere from then on', async () => {
    const { pool: p, started } = pool("echo 'sudo: a password is required' >&2; exit 1");
    expect(await p.run('echo x', ROOT)).toBeUndefined();
    expect(await p.run('echo y', ROOT)).toBeUndefined();
    expect(started).toEqual(['root']);
  });

  it('a shell that dies during a command reports it lost, and the next command starts a new shell', async () => {
    const { pool: p, started } = pool();
    expect(await p.run('kill -9 $$', undefined)).toBe('lost');
    expect(await p.run('echo again', undefined)).toMatchObject({ stdout: 'again\n' });
    expect(started).toEqual(['', '']);
  });
});

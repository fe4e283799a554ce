import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryMatchesHost, parseKnownHosts } from '../../src/transport/known-hosts.js';
import { hosts, type TestbedHost } from './testbed.js';

/**
 * A test host's sshd, reached through a relay on this machine that never
 * passes sshd's close on: after the client's disconnect sshd closes its
 * side, and the client's side stays open, as with a host that never
 * closes the connection.
 */
let h: TestbedHost;
let relay: Server;
let relayPort = 0;
const held: Socket[] = [];
let dir = '';
beforeAll(async () => {
  h = hosts()[0]!;
  // half-open allowed: the client's own end (after its disconnect) does not end the relay's side either
  relay = createServer({ allowHalfOpen: true }, (c) => {
    held.push(c);
    c.on('error', () => undefined);
    const up = createConnection(h.port, h.address);
    up.on('error', () => undefined);
    c.pipe(up);
    // sshd's data goes on; its close does not
    up.on('data', (d: Buffer) => c.write(d));
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  relayPort = (relay.address() as { port: number }).port;
  // the host's own keys, under the relay's name
  dir = mkdtempSync(join(tmpdir(), 'rosey-ssh-close-'));
  const keys = parseKnownHosts(readFileSync(h.knownHostsPath, 'utf8'), h.knownHostsPath).filter((e) => e.marker === undefined && entryMatchesHost(e, h.address, h.port));
  writeFileSync(join(dir, 'known_hosts'), keys.map((e) => `[127.0.0.1]:${relayPort} ${e.keyType} ${e.key}\n`).join(''));
});
afterAll(() => {
  for (const c of held) c.destroy();
  relay.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('closing an SSH connection', () => {
  it('lets the process end while the host keeps the connection open (nothing waits for its close)', async () => {
    const args = ['127.0.0.1', String(relayPort), h.user, h.keyPath, join(dir, 'known_hosts')];
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'ssh-close.child.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(out).toContain('rc=0 closed');
    expect(code).toBe(0);
    // ended by itself: not held until close()'s last resort cut the connection (ssh2's keepalive timer did that)
    expect(out).not.toContain('cut off');
  }, 30_000);
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * An SSH server on this machine (ssh2's) that accepts any key and answers
 * every command with exit 0, reached through a relay that never passes the
 * server's close on: after the client's disconnect the TCP connection stays
 * open, as with a host that never closes it.
 */
const { Server: SshServer, utils } = ssh2;
let ssh: InstanceType<typeof SshServer>;
let relay: NetServer;
let relayPort = 0;
const held: Socket[] = [];
let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rosey-ssh-close-'));
  writeFileSync(join(dir, 'id'), utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
  ssh = new SshServer({ hostKeys: [utils.generateKeyPairSync('ed25519').private] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => (ctx.method === 'publickey' ? ctx.accept() : ctx.reject(['publickey'])));
    client.on('session', (accept) => {
      accept().on('exec', (acceptExec) => {
        const stream = acceptExec();
        stream.resume();
        stream.exit(0);
        stream.end();
      });
    });
  });
  await new Promise<void>((r) => ssh.listen(0, '127.0.0.1', r));
  const sshPort = (ssh.address() as { port: number }).port;
  // half-open allowed: the client's own end (after its disconnect) does not end the relay's side either
  relay = createServer({ allowHalfOpen: true }, (c) => {
    held.push(c);
    c.on('error', () => undefined);
    const up = createConnection(sshPort, '127.0.0.1');
    up.on('error', () => undefined);
    c.pipe(up);
    // the server's data goes on; its close does not
    up.on('data', (d: Buffer) => c.write(d));
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  relayPort = (relay.address() as { port: number }).port;
});
afterAll(() => {
  for (const c of held) c.destroy();
  relay.close();
  ssh.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('closing an SSH connection', () => {
  it('lets the process end while the host keeps the connection open (nothing waits for its close)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'ssh-close.child.ts'), String(relayPort), join(dir, 'id')], { stdio: ['ignore', 'pipe', 'pipe'] });
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

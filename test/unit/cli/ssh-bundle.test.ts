import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

// In a child of its own: a fresh SSH bundle, loaded as bin/rosey-apply.cjs
// loads it. A client is given a connected socket, then only microtasks run
// (no turn of the event loop, as while a run's first task prepares). The
// child prints what the client wrote to the socket by then.
const CHILD = `
const net = require('node:net');
const { NodeSSH } = require(${JSON.stringify(join(ROOT, 'dist', 'cli', 'vendor-node-ssh.cjs'))});
const server = net.createServer((s) => s.on('error', () => {})).listen(0, '127.0.0.1', () => {
  const sock = net.connect(server.address().port, '127.0.0.1', async () => {
    const written = [];
    const write = sock.write.bind(sock);
    sock.write = (chunk, ...rest) => { written.push(Buffer.from(chunk).toString('latin1')); return write(chunk, ...rest); };
    new NodeSSH().connect({ sock, host: '127.0.0.1', username: 'nobody', readyTimeout: 2000 }).catch(() => {});
    for (let i = 0; i < 50; i++) await Promise.resolve();
    process.stdout.write(JSON.stringify(written));
    process.exit(0);
  });
});
`;

describe('the SSH bundle (scripts/build-cli.mjs)', () => {
  it("the client's banner leaves before the event loop turns: ssh2's poly1305 helper is ready once the bundle has loaded", () => {
    const r = spawnSync(process.execPath, ['-e', CHILD], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    const written = JSON.parse(r.stdout) as string[];
    expect(written[0]).toMatch(/^SSH-2\.0-/);
  });
});

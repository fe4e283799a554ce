import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpConnect } from '../../../src/transport/ssh-socket.js';

/** A listener on this machine that keeps what it receives. */
let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((s) => s.resume());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Counts how the socket hands its data to the system: one `_writev` is one system call for several writes. */
function spy(sock: Socket): { single: number; batched: number[] } {
  const seen = { single: 0, batched: [] as number[] };
  const s = sock as unknown as { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void };
  const write = s._write.bind(sock);
  const writev = s._writev.bind(sock);
  s._write = (...a) => {
    seen.single++;
    write(...a);
  };
  s._writev = (chunks, cb) => {
    seen.batched.push(chunks.length);
    writev(chunks, cb);
  };
  return seen;
}

describe('the SSH socket', () => {
  it('sends what is written in one tick in one system call, and what follows in the next', async () => {
    const { connected } = tcpConnect('127.0.0.1', port, 5000);
    const sock = await connected;
    const seen = spy(sock);
    sock.write(Buffer.from('new keys'));
    sock.write(Buffer.from('service request'));
    sock.write(Buffer.from('first auth'));
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual({ single: 0, batched: [3] });
    sock.write(Buffer.from('alone'));
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual({ single: 1, batched: [3] });
    sock.destroy();
  });

  it('a closed port is refused with what to check, and the socket is settled', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const free = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { connected } = tcpConnect('127.0.0.1', free, 5000);
    await expect(connected).rejects.toThrow(/connection refused by 127\.0\.0\.1:\d+ \(nothing listens on that port/);
  });
});

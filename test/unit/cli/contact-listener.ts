import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/**
 * A fake "host" on a loopback port: any connection to it means rosey-apply
 * contacted a host. Registers its own beforeAll/afterAll in the calling file.
 */
export function contactListener(): { port(): number; contacts(): number } {
  let server: Server;
  let port = 0;
  let contacts = 0;
  beforeAll(async () => {
    server = createServer((s) => {
      contacts++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return { port: () => port, contacts: () => contacts };
}

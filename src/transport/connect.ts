import type { Connection, ConnectionSpec } from './connection.js';
import { LocalConnection } from './local.js';

/**
 * Opens the connection a spec asks for. Rejects only with `UnreachableError`
 * (a `HostKeyError` when the host key is refused).
 */
export async function connect(spec: ConnectionSpec): Promise<Connection> {
  switch (spec.kind) {
    case 'local':
      return new LocalConnection(spec);
    case 'ssh': {
      // loaded on first use: ssh2 is a large CommonJS tree that listing
      // modes and --syntax-check never need (it was most of their start time)
      const { SshConnection } = await import('./ssh.js');
      return SshConnection.open(spec);
    }
  }
}

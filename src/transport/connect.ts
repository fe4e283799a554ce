import type { Connection, ConnectionSpec } from './connection.js';
import { LocalConnection } from './local.js';
import { SshConnection } from './ssh.js';

/**
 * Opens the connection a spec asks for. Rejects only with `UnreachableError`
 * (a `HostKeyError` when the host key is refused).
 */
export async function connect(spec: ConnectionSpec): Promise<Connection> {
  switch (spec.kind) {
    case 'local':
      return new LocalConnection(spec);
    case 'ssh':
      return SshConnection.open(spec);
  }
}

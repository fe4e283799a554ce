import type { Connection, ConnectionSpec } from './connection.js';
import { LocalConnection } from './local.js';
import { tcpConnect } from './ssh-socket.js';

/**
 * Opens the connection a spec asks for. Rejects only with `UnreachableError`
 * (a `HostKeyError` when the host key is refused).
 */
export async function connect(spec: ConnectionSpec): Promise<Connection> {
  switch (spec.kind) {
    case 'local':
      return new LocalConnection(spec);
    case 'ssh': {
      // TCP first: sshd forks and starts its session process while ssh2
      // loads (~40 ms of the controller's time)
      const early = tcpConnect(spec.address, spec.port, spec.connectTimeoutMs);
      // Node sends the SYN on its next tick, and ticks wait while promise
      // jobs run: without a turn of the event loop here, the load below
      // and the first task's preparation would all go first (measured: the
      // connect left 100 ms late)
      await new Promise((r) => setImmediate(r));
      // loaded on first use: ssh2 is a large CommonJS tree that listing
      // modes and --syntax-check never need (it was most of their start time)
      const { SshConnection, DEFAULT_SSH_TUNING } = await import('./ssh.js');
      return SshConnection.open(spec, DEFAULT_SSH_TUNING, early);
    }
  }
}

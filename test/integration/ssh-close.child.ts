// Run by ssh-close.test.ts in a process of its own: opens an SSH connection
// (address, port, user, key file and known_hosts file from argv), runs one
// command, closes it, and prints "closed". Nothing else is done: the
// process must then end by itself, without cutting the connection off.
import { Socket } from 'node:net';
import { raw } from '../../src/transport/quote.js';
import { DEFAULT_SSH_TUNING, SshConnection } from '../../src/transport/ssh.js';

const [address, port, user, keyFile, knownHosts] = process.argv.slice(2);
// a connection cut off by this side (close()'s last resort, 2 s on) is reported
const destroy = Socket.prototype.destroy;
Socket.prototype.destroy = function (this: Socket, ...a: Parameters<Socket['destroy']>) {
  if (!this.destroyed) process.stdout.write('cut off\n');
  return destroy.apply(this, a);
};
const conn = await SshConnection.open(
  { kind: 'ssh', name: 'held', address: address!, port: Number(port), user: user!, privateKeyPath: keyFile, hostKeyChecking: true, knownHostsPath: knownHosts, connectTimeoutMs: 10_000 },
  // keepalives a minute apart: ssh2's timer alone would keep this process for that long
  { ...DEFAULT_SSH_TUNING, keepaliveIntervalMs: 60_000 },
);
const r = await conn.exec(raw('true'));
await conn.close();
process.stdout.write(`rc=${r.rc} closed\n`);

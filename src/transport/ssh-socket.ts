import { constants } from 'node:os';
import { createConnection, type Socket } from 'node:net';
import type { ConnectionSpec } from './connection.js';

/** Under an SSH connection: its socket, its channel slots, and the words for what goes wrong with them. */

/** Counting semaphore for channels: more concurrent execs than sshd allows would fail, not queue. */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(n: number) {
    this.#free = n;
  }
  /** a slot if one is free now, without waiting */
  tryAcquire(): boolean {
    if (this.#free <= 0) return false;
    this.#free--;
    return true;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

/** The shell's convention for a command killed by a signal: 128 + its number. */
export function signalRc(signal: string | null | undefined): number {
  const name = signal ? (signal.startsWith('SIG') ? signal : `SIG${signal}`) : '';
  const n = (constants.signals as Record<string, number | undefined>)[name];
  return 128 + (n ?? 0);
}

/** A TCP connection on its way: the socket at once, and whether (and when) it connected. */
export interface Dialing {
  socket: Socket;
  /** resolves on connect (TCP_NODELAY set); rejects with a message that says what to check */
  connected: Promise<Socket>;
}

/**
 * TCP first, with TCP_NODELAY, then ssh2 on top. Connecting here (not in
 * ssh2) means a refused or silent port is an error we word and catch, never
 * an unhandled 'error' on a socket nobody listens to yet.
 */
export function tcpConnect(host: string, port: number, timeoutMs: number): Dialing {
  const socket = createConnection({ host, port });
  const connected = new Promise<Socket>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out connecting to ${host}:${port} after ${timeoutMs / 1000} s (host down, or a firewall dropping packets?)`));
    }, timeoutMs);
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(connectFailure(e, host, port), { cause: e }));
    });
    // destroyed before it connected (by ssh2's own timeout, say): settled all the same
    socket.once('close', () => {
      clearTimeout(timer);
      reject(new Error(`connection to ${host}:${port} closed before it was established`));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      coalesceWrites(socket);
      // ssh2 reports socket errors through the client; this keeps one that
      // lands before ssh2 listens from crashing the process
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
  connected.catch(() => undefined);
  return { socket, connected };
}

/**
 * SSH messages that ssh2 sends one after another in the same tick (new keys
 * and the service request, a command's request and its data, a channel's
 * end and the disconnect) leave in one system call and, with TCP_NODELAY,
 * one segment: each write to a host is a system call whose network work
 * (the host's side too, on a virtual link) is charged to the writer.
 */
function coalesceWrites(socket: Socket): void {
  const write = socket.write;
  let corked = false;
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>): boolean {
    if (!corked) {
      corked = true;
      this.cork();
      process.nextTick(() => {
        corked = false;
        this.uncork();
      });
    }
    return write.apply(this, args);
  } as Socket['write'];
}

function connectFailure(e: NodeJS.ErrnoException, host: string, port: number): string {
  const at = `${host}:${port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${at} (nothing listens on that port: is sshd running, is the port right?)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${at} (host down or address wrong)`;
    case 'ETIMEDOUT':
      return `timed out connecting to ${at}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the name ${host}`;
    default:
      return `cannot connect to ${at}: ${e.message}`;
  }
}

/** ssh2's messages say what failed; these add what the user can do about the common ones. */
export function describe(reason: string, spec: ConnectionSpec): string {
  if (/authentication methods failed/i.test(reason)) {
    const tried = [spec.privateKeyPath && `key ${spec.privateKeyPath}`, process.env.SSH_AUTH_SOCK && 'the ssh agent'].filter(Boolean);
    return `authentication failed as ${spec.user} (tried ${tried.length ? tried.join(' and ') : 'no key: set ansible_ssh_private_key_file or start an ssh agent'})`;
  }
  if (/privateKeyPath does not exist/.test(reason)) return `private key file ${spec.privateKeyPath} does not exist`;
  if (/timed out while waiting for handshake/i.test(reason)) return `timed out waiting for the SSH handshake from ${spec.address}:${spec.port} after ${spec.connectTimeoutMs / 1000} s`;
  if (/lost before handshake/i.test(reason)) return `${spec.address}:${spec.port} accepted the connection and closed it before the SSH handshake (is sshd listening on that port?)`;
  return reason;
}

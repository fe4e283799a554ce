import type { Cmd } from './quote.js';

/** How to reach one host: built by the inventory from its connection variables. */
export interface ConnectionSpec {
  kind: 'ssh' | 'local';
  /** inventory name of the host, for messages */
  name: string;
  /** address to connect to (ansible_host / rosey_host, else the name) */
  address: string;
  port: number;
  user: string;
  privateKeyPath?: string;
  /** verify the server's key against known_hosts (default true; only an explicit opt-out turns it off) */
  hostKeyChecking: boolean;
  /** known_hosts file (default ~/.ssh/known_hosts) */
  knownHostsPath?: string;
  connectTimeoutMs: number;
}

export interface Become {
  /** user to become (default root) */
  user: string;
}

export interface ExecOptions {
  /** run as another user through `sudo -n` */
  become?: Become;
  /** bytes fed to the command's stdin */
  stdin?: string | Uint8Array;
  /**
   * A short read of the host's state (facts), never an action: it may share
   * the round trip that takes the run lock (runner/locked-connect.ts).
   */
  quick?: boolean;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
}

/**
 * One live connection to one host, kept for the whole run. `exec` runs a
 * shell command (`sh -c`) and resolves with its exit status whatever it is;
 * it rejects only with `UnreachableError` when the host cannot be reached or
 * the connection drops.
 */
export interface Connection {
  readonly spec: ConnectionSpec;
  exec(cmd: Cmd, opts?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}

export class UnreachableError extends Error {
  constructor(
    readonly host: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UnreachableError';
  }
}

/** The host presented a key that does not match known_hosts: never connect. */
export class HostKeyError extends UnreachableError {
  constructor(host: string, message: string) {
    super(host, message);
    this.name = 'HostKeyError';
  }
}

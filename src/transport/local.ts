import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Connection, ConnectionSpec, ExecOptions, ExecResult } from './connection.js';
import { BOOTSTRAP, invocation, stdinFor } from './become.js';
import type { Cmd } from './quote.js';

/** Runs commands on the controller itself (`ansible_connection: local`). */
export class LocalConnection implements Connection {
  constructor(readonly spec: ConnectionSpec) {}

  exec(cmd: Cmd, opts: ExecOptions = {}): Promise<ExecResult> {
    const input = stdinFor(invocation(cmd, opts.become), opts.stdin);
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', BOOTSTRAP], { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        resolve({
          rc: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
      // a command that does not read stdin closes it early: not an error
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });
  }

  async close(): Promise<void> {}
}

export function localSpec(name = 'localhost'): ConnectionSpec {
  return {
    kind: 'local',
    name,
    address: '127.0.0.1',
    port: 0,
    user: process.env.USER ?? 'root',
    hostKeyChecking: true,
    connectTimeoutMs: 10_000,
  };
}

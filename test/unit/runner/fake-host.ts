import { LOCK_ROOT } from '../../../src/transport/host-paths.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UnreachableError, type Connection, type ConnectionSpec, type ExecResult } from '../../../src/transport/connection.js';

/**
 * Hosts that answer in memory: Rosey's own bookkeeping (pending marks, facts)
 * succeeds, and a `command` names its outcome: `ok`, `fail`, `fail-on-<host>`,
 * `flaky-<n>` (fails until its n-th run on that host). Every command each
 * host ran is kept, in order.
 */
export class FakeHosts {
  readonly ran = new Map<string, string[]>();
  private readonly unreachable: Set<string>;

  constructor(unreachable: string[] = []) {
    this.unreachable = new Set(unreachable);
  }

  /** the command lines of `command:` tasks a host ran, in order */
  commands(host: string): string[] {
    return (this.ran.get(host) ?? []).filter((c) => /^'?[a-z]+(-[a-z0-9]+)*'?( |$)/.test(c) && !/^(mkdir|rm|ls|touch|find|cat|uname)\b/.test(c));
  }

  connect = async (spec: ConnectionSpec): Promise<Connection> => {
    if (this.unreachable.has(spec.name)) throw new UnreachableError(spec.name, `${spec.name}: connection refused (fake)`);
    return { spec, exec: async (cmd) => this.answer(spec.name, cmd.text), close: async () => undefined };
  };

  private answer(host: string, text: string): ExecResult {
    // the run lock (runner/host-lock.ts) is Rosey's own bookkeeping: always free here, not a task's command
    if (text.startsWith(`d=${LOCK_ROOT}/`)) return { rc: 0, stdout: 'acquired\n', stderr: '' };
    const runs = this.ran.get(host) ?? [];
    runs.push(text);
    this.ran.set(host, runs);
    const word = text.replace(/'/g, '').split(' ')[0] ?? '';
    const flaky = /^flaky-(\d+)$/.exec(word);
    const fails =
      word === 'fail' ||
      word === `fail-on-${host}` ||
      (flaky !== null && runs.filter((r) => r.replace(/'/g, '').split(' ')[0] === word).length < Number(flaky[1]));
    return { rc: fails ? 1 : 0, stdout: '', stderr: fails ? `${word} failed` : '' };
  }
}

/** A throwaway project: files by relative path; returns its folder. */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rosey-play-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

export const HOSTS3 = 'all:\n  hosts:\n    h1: {ansible_host: 192.0.2.1}\n    h2: {ansible_host: 192.0.2.2}\n    h3: {ansible_host: 192.0.2.3}\n';

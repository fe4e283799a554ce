import { mergeVars } from '../vars/merge.js';
import { EXIT, type RunOptions } from './options.js';
import type { Inventory } from '../inventory/inventory.js';
import type { RunRecord, RunStatus } from '../journal/record.js';
import type { Playbook, Play } from '../playbook/types.js';
import type { Connection, ConnectionSpec } from '../transport/connection.js';
import type { Cmd } from '../transport/quote.js';
import type { Reporter } from './events.js';
import { hostvarsView } from './hostvars.js';
import { HostState } from './host-state.js';
import { batches } from './batches.js';
import { runPlay } from './play.js';
import type { PlayEnv } from './play-run.js';
import { Connections, type RetryPolicy } from './connections.js';
import { lockedConnect } from './locked-connect.js';
import { reachesHosts } from './reaches-hosts.js';

export interface RunInput {
  playbook: Playbook;
  inventory: Inventory;
  options: RunOptions;
  reporter: Reporter;
  runId: string;
  connect(spec: ConnectionSpec): Promise<Connection>;
  /** reconnecting after a drop (tests make it fast) */
  retry?: RetryPolicy;
  /**
   * Called for each host reached, after the last task and before its
   * connection closes (the journal writes the host's record with it); not
   * in --check. It must run `then` (the lock's release) in the same command,
   * whatever its own outcome: the host's last round trip does both.
   */
  atHostEnd?(conn: Connection, record: RunRecord, host: HostState, then: Cmd | undefined): Promise<void>;
}

export interface RunOutcome {
  record: RunRecord;
  hosts: HostState[];
  exitCode: number;
}

export async function runPlaybook(input: RunInput): Promise<RunOutcome> {
  const { inventory, options, reporter } = input;
  const states = new Map<string, HostState>();
  const locks = lockedConnect(input.connect, { runId: input.runId, playbook: input.playbook.file, options, reporter });
  const connections = new Connections(locks.connect, input.retry);
  const hostvars = hostvarsView(inventory, (name) => states.get(name));
  const stateOf = (name: string): HostState => {
    let s = states.get(name);
    if (!s) {
      const vars = inventory.hostVars(name);
      // -e wins over the inventory for connection variables too, as in Ansible (CI passes the key file this way)
      const forConnection = mergeVars([{ name: 'inventory', vars }, { name: 'extra vars', vars: options.extraVars }]);
      s = new HostState(name, { ...vars, hostvars }, inventory.connectionSpec(name, forConnection));
      states.set(name, s);
    }
    return s;
  };
  const env: PlayEnv = {
    runId: input.runId,
    options,
    reporter,
    connection: async (h) => {
      const conn = await connections.get(h.spec);
      // the pending handler marks came with the lock: no round trip of their own
      h.pendingOnHost ??= locks.pendingSeen(h.name);
      return conn;
    },
    connections,
  };
  try {
    return await runAll(input, env, stateOf, states, locks);
  } finally {
    await locks.releaseAll();
    await connections.closeAll();
  }
}

type Locks = ReturnType<typeof lockedConnect>;

async function runAll(input: RunInput, env: PlayEnv, stateOf: (name: string) => HostState, states: Map<string, HostState>, locks: Locks): Promise<RunOutcome> {
  const { inventory, options, reporter } = input;
  const startedAt = new Date();
  reporter.event({ kind: 'run-start', runId: input.runId, playbook: input.playbook.file, check: options.check });
  for (const play of input.playbook.plays) {
    const names = inventory.selectHosts(play.hosts, options.limit).filter((n) => states.get(n)?.active ?? true);
    reporter.event({ kind: 'play-start', name: play.name, hosts: names });
    if (names.length === 0) {
      reporter.event({ kind: 'no-hosts', play: play.name });
      continue;
    }
    if (!(await runBatches(play, names, stateOf, env))) break;
  }
  const all = [...states.values()];
  const record = buildRecord(input, all, startedAt);
  if (!options.check && input.atHostEnd) await atHostEnd(record, all, env, input.atHostEnd, locks);
  return { record, hosts: all, exitCode: exitCodeFor(all, options) };
}

/** The host's last command: `fn` (the run record), with the lock's release riding along. */
async function atHostEnd(record: RunRecord, hosts: HostState[], env: PlayEnv, fn: NonNullable<RunInput['atHostEnd']>, locks: Locks): Promise<void> {
  const live = await env.connections.live();
  await Promise.all(
    hosts.map(async (h) => {
      const conn = live.get(h.name);
      if (!conn || h.unreachable) return;
      try {
        const release = locks.releaseCmd(h.name);
        await fn(conn, record, h, release);
        // a host that ran nothing took its lock only now, for the record: releaseAll lets go of it
        if (release) locks.released(h.name);
      } catch (err) {
        env.reporter.event({ kind: 'warning', host: h.name, message: `could not write the run record on the host: ${(err as Error).message}` });
      }
    }),
  );
}

/**
 * Run a play batch by batch. A host's state is made when its batch starts,
 * so hosts of batches that never ran are not in the recap (as in Ansible).
 * Returns false when the run must stop: the play was stopped
 * (max_fail_percentage, any_errors_fatal) or every host of a batch failed.
 */
async function runBatches(play: Play, names: string[], stateOf: (name: string) => HostState, env: PlayEnv): Promise<boolean> {
  for (const batch of batches(names, play.serial)) {
    const live = batch.map(stateOf).filter((h) => h.active);
    if (live.length === 0) continue;
    // the hosts the first task starts on (forks at a time) handshake while it
    // prepares; a turn of the event loop first lets the connections start
    // (TCP, loading ssh2, the client's first packets) before the preparation
    // takes the loop, so that sshd works meanwhile instead of after
    if (reachesHosts(play) && env.connections.prefetch(live.slice(0, env.options.forks).map((h) => h.spec)) > 0) await new Promise((r) => setImmediate(r));
    if (!(await runPlay(play, live, env))) return false;
    if (live.every((h) => !h.active)) return false;
  }
  return true;
}

export function exitCodeFor(hosts: HostState[], options: RunOptions): number {
  if (hosts.some((h) => h.failed)) return EXIT.failed;
  if (hosts.some((h) => h.unreachable)) return EXIT.unreachable;
  if (options.check && options.detailedExitcode && hosts.some((h) => h.counts.changed > 0)) return EXIT.changesPending;
  return EXIT.ok;
}

function buildRecord(input: RunInput, hosts: HostState[], startedAt: Date): RunRecord {
  const finishedAt = new Date();
  const hostRecords = hosts.map((h) => h.record());
  const status: RunStatus = hosts.some((h) => h.failed) ? 'failed' : hosts.some((h) => h.unreachable) ? 'unreachable' : 'ok';
  const version = input.options.extraVars.rosey_version;
  return {
    id: input.runId,
    environment: input.inventory.name,
    playbook: input.playbook.file,
    ...(typeof version === 'string' || typeof version === 'number' ? { version: String(version) } : {}),
    user: input.options.user,
    ...(input.options.reason ? { reason: input.options.reason } : {}),
    check: input.options.check,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    status,
    hosts: hostRecords,
  };
}

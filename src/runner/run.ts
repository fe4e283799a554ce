import { EXIT, type RunOptions } from './options.js';
import type { Inventory } from '../inventory/inventory.js';
import type { RunRecord, RunStatus } from '../journal/record.js';
import type { Playbook, Play } from '../playbook/types.js';
import type { Connection, ConnectionSpec } from '../transport/connection.js';
import type { Reporter } from './events.js';
import { HostState } from './host-state.js';
import { runPlay } from './play.js';
import type { PlayEnv } from './play-env.js';
import { Connections, type RetryPolicy } from './connections.js';
import { rootFor } from './outcome.js';
import { writeRemoteRecord } from '../journal/writer.js';

export interface RunInput {
  playbook: Playbook;
  inventory: Inventory;
  options: RunOptions;
  reporter: Reporter;
  runId: string;
  connect(spec: ConnectionSpec): Promise<Connection>;
  /** reconnecting after a drop (tests make it fast) */
  retry?: RetryPolicy;
}

export interface RunOutcome {
  record: RunRecord;
  hosts: HostState[];
  exitCode: number;
}

/** Split a play's hosts into `serial` batches (all at once when unset). */
export function batches<T>(hosts: T[], serial: number | string | undefined): T[][] {
  if (serial === undefined || hosts.length === 0) return [hosts];
  const size = typeof serial === 'number' ? serial : Math.max(1, Math.floor((hosts.length * parseInt(serial, 10)) / 100));
  const out: T[][] = [];
  for (let i = 0; i < hosts.length; i += size) out.push(hosts.slice(i, i + size));
  return out;
}

export async function runPlaybook(input: RunInput): Promise<RunOutcome> {
  const { inventory, options, reporter } = input;
  const states = new Map<string, HostState>();
  const connections = new Connections(input.connect, input.retry);
  const stateOf = (name: string): HostState => {
    let s = states.get(name);
    if (!s) {
      const vars = inventory.hostVars(name);
      s = new HostState(name, vars, inventory.connectionSpec(name));
      states.set(name, s);
    }
    return s;
  };
  const env: PlayEnv = {
    runId: input.runId,
    options,
    reporter,
    connection: (h) => connections.get(h.spec),
    connections,
  };
  try {
    return await runAll(input, env, stateOf, states);
  } finally {
    await connections.closeAll();
  }
}

async function runAll(input: RunInput, env: PlayEnv, stateOf: (name: string) => HostState, states: Map<string, HostState>): Promise<RunOutcome> {
  const { inventory, options, reporter } = input;
  const startedAt = new Date();
  reporter.event({ kind: 'run-start', runId: input.runId, playbook: input.playbook.file, check: options.check });
  for (const play of input.playbook.plays) {
    const hosts = inventory.selectHosts(play.hosts, options.limit).map(stateOf).filter((h) => h.active);
    reporter.event({ kind: 'play-start', name: play.name, hosts: hosts.map((h) => h.name) });
    if (hosts.length === 0) {
      reporter.event({ kind: 'no-hosts', play: play.name });
      continue;
    }
    if (!(await runBatches(play, hosts, env))) break;
  }
  const all = [...states.values()];
  const record = buildRecord(input, all, startedAt);
  if (!options.check) await writeHostRecords(record, all, env);
  return { record, hosts: all, exitCode: exitCodeFor(all, options) };
}

/** Each reached host keeps its own part of the record: `runs` and `undo` read it there. */
async function writeHostRecords(record: RunRecord, hosts: HostState[], env: PlayEnv): Promise<void> {
  const live = await env.connections.live();
  await Promise.all(
    hosts.map(async (h) => {
      const conn = live.get(h.name);
      if (!conn || h.unreachable) return;
      try {
        await writeRemoteRecord(conn, record, h.name, rootFor(h.spec));
      } catch (err) {
        env.reporter.event({ kind: 'warning', host: h.name, message: `could not write the run record on the host: ${(err as Error).message}` });
      }
    }),
  );
}

/** Returns false when max_fail_percentage stopped the play (and so the run). */
async function runBatches(play: Play, hosts: HostState[], env: PlayEnv): Promise<boolean> {
  for (const batch of batches(hosts, play.serial)) {
    const live = batch.filter((h) => h.active);
    if (live.length === 0) continue;
    await runPlay(play, live, env);
    if (play.maxFailPercentage !== undefined) {
      const failed = batch.filter((h) => !h.active).length;
      if ((failed / batch.length) * 100 > play.maxFailPercentage) {
        env.reporter.event({ kind: 'warning', message: `stopping: ${failed} of ${batch.length} hosts in the batch failed, over max_fail_percentage ${play.maxFailPercentage}` });
        return false;
      }
    }
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

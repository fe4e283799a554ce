import { combineFacts } from '../facts/combine.js';
import { hostFacts } from '../facts/host.js';
import { UnreachableError } from '../transport/connection.js';
import type { TaskInfo, TaskResult } from './events.js';
import type { HostState } from './host-state.js';
import { mapLimit } from './limit.js';
import { recordResult } from './outcome.js';
import { pendingFact } from './pending-handlers.js';
import type { PlayEnv } from './play-run.js';

const INFO: TaskInfo = { title: 'Gathering Facts', module: 'setup', loc: { file: '<facts>', line: 0, column: 0 }, noLog: false, handler: false };

/**
 * gather_facts: one remote command per host, the first contact (so this is
 * where a down host shows up). It also brings the host's pending handler
 * marks, which anyone may list, so they cost no round trip of their own.
 */
function gatherFor(host: string) {
  return combineFacts({ host: hostFacts(), pending: pendingFact(host) });
}

export async function gatherFacts(hosts: HostState[], env: PlayEnv): Promise<void> {
  const targets = hosts.filter((h) => h.active && !h.facts);
  if (targets.length === 0) return;
  env.reporter.event({ kind: 'task-start', task: INFO, hosts: targets.map((h) => h.name) });
  await mapLimit(targets, env.options.forks, async (h) => {
    let r: TaskResult;
    try {
      const conn = await env.connection(h);
      const gather = gatherFor(h.name);
      const out = await conn.exec(gather.command);
      if (out.rc !== 0) throw new Error(out.stderr.trim() || `exit ${out.rc}`);
      const { host, pending } = gather.parse(out.stdout);
      h.facts = { ...host };
      h.varsWrites++;
      h.pendingOnHost ??= pending;
      r = { status: 'ok', changes: [], output: { changed: false, failed: false } };
    } catch (err) {
      const status = err instanceof UnreachableError ? 'unreachable' : 'failed';
      r = { status, changes: [], msg: (err as Error).message, output: { failed: true, changed: false } };
    }
    recordResult(h, INFO, r);
    env.reporter.event({ kind: 'host-result', task: INFO, host: h.name, result: r, diff: false, check: env.options.check });
  });
}

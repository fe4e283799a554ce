import { hostFacts } from '../facts/host.js';
import type { TaskInfo, TaskResult } from './events.js';
import type { HostState } from './host-state.js';
import { mapLimit } from './limit.js';
import type { PlayEnv } from './play.js';
import { UnreachableError } from '../transport/connection.js';

const INFO: TaskInfo = { title: 'Gathering Facts', module: 'setup', loc: { file: '<facts>', line: 0, column: 0 }, noLog: false, handler: false };

/** gather_facts: one remote command per host; the first contact, so this is where a down host shows up. */
export async function gatherFacts(hosts: HostState[], env: PlayEnv): Promise<void> {
  const targets = hosts.filter((h) => h.active && !h.facts);
  if (targets.length === 0) return;
  env.reporter.event({ kind: 'task-start', task: INFO, hosts: targets.map((h) => h.name) });
  await mapLimit(targets, env.options.forks, async (h) => {
    let r: TaskResult;
    try {
      const conn = await env.connection(h);
      const out = await conn.exec(hostFacts().command);
      if (out.rc !== 0) throw new Error(out.stderr.trim() || `exit ${out.rc}`);
      h.facts = hostFacts().parse(out.stdout) as unknown as Record<string, unknown>;
      r = { status: 'ok', changes: [], output: { changed: false, failed: false } };
      h.counts.ok++;
    } catch (err) {
      const unreachable = err instanceof UnreachableError;
      r = { status: unreachable ? 'unreachable' : 'failed', changes: [], msg: (err as Error).message, output: { failed: true, changed: false } };
      if (unreachable) {
        h.unreachable = true;
        h.counts.unreachable++;
      } else {
        h.failed = true;
        h.counts.failed++;
      }
      h.tasks.push({ name: INFO.title, module: INFO.module, status: r.status, source: INFO.loc.file, changes: [], msg: r.msg });
    }
    env.reporter.event({ kind: 'host-result', task: INFO, host: h.name, result: r, diff: false, check: env.options.check });
  });
}

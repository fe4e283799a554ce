import { Command, InvalidArgumentError } from 'commander';
import { loadInventory } from '../inventory/inventory.js';
import { mergeRecords, recentHostRecords } from '../journal/host-records.js';
import type { RunRecord } from '../journal/record.js';
import { groupShards, type ListedRun } from '../journal/shard-runs.js';
import { EXIT } from '../runner/options.js';
import { rootFor } from '../runner/outcome.js';
import { connect } from '../transport/connect.js';
import type { RoseyEnv } from './env.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
}

/**
 * One line per run: what `undo` needs (the id) and what people ask first.
 * A sharded run is one line: its part ids joined with commas (undo takes
 * each), its hosts and changes summed over the parts.
 */
export function runLine(entry: RunRecord | ListedRun): string {
  const { run: r, parts } = 'run' in entry ? entry : { run: entry, parts: undefined };
  const changed = r.hosts.reduce((n, h) => n + h.counts.changed, 0);
  const what = r.rollbackOf ? `undo of ${r.rollbackOf}` : parts ? `${r.playbook} (${parts.length} of ${r.shard?.count ?? parts.length} shards)` : r.playbook;
  return [parts ? parts.join(',') : r.id, r.startedAt.replace(/\.\d+Z$/, 'Z'), r.user, what, `changed=${changed}`, `hosts=${r.hosts.length}`, r.check ? 'check' : r.status].join('\t');
}

/**
 * `rosey-apply runs -i INV`: the recent runs, read from the hosts' own
 * records (each host keeps its part of every run that touched it), so the
 * list is the same from any machine that can reach the hosts.
 */
export async function runRuns(argv: string[], env: RoseyEnv): Promise<number> {
  const cmd = new Command('rosey-apply runs')
    .description('List recent runs from the hosts\' records')
    .option('-i, --inventory <path>', 'inventory directory or hosts file', 'inventory/local')
    .option('-l, --limit <pattern>', 'only these hosts')
    .option('-n, --last <n>', 'how many runs', count, 20)
    .addHelpText('after', '\nOne line per run: id, start (UTC), user, playbook and reason, changed=N, hosts=N, status (or check).\nThe id is what `rosey-apply undo <run-id>` takes.')
    .exitOverride();
  cmd.parse(argv, { from: 'user' });
  const flags = cmd.opts<{ inventory: string; limit?: string; last: number }>();
  const inventory = await loadInventory(flags.inventory);
  let unreachable = false;
  const parts = await Promise.all(
    inventory.selectHosts(flags.limit ?? 'all').map(async (name) => {
      const spec = inventory.connectionSpec(name);
      try {
        const conn = await connect({ ...spec, knownHostsPath: spec.knownHostsPath ?? env.knownHostsPath });
        try {
          return await recentHostRecords(conn, flags.last, rootFor(spec));
        } finally {
          await conn.close();
        }
      } catch (err) {
        unreachable = true;
        process.stderr.write(`UNREACHABLE: [${name}] ${(err as Error).message}\n`);
        return [];
      }
    }),
  );
  const runs = groupShards(mergeRecords(parts.flat())).slice(-flags.last).reverse();
  console.log(['RUN', 'STARTED', 'USER', 'PLAYBOOK', 'CHANGED', 'HOSTS', 'RESULT'].join('\t'));
  runs.forEach((r) => console.log(runLine(r)));
  return unreachable ? EXIT.unreachable : EXIT.ok;
}

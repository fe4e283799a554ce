import { Command } from 'commander';
import { userError } from '../errors/diagnostic.js';
import { loadInventory } from '../inventory/inventory.js';
import { breakCmd, parseHolder, describeHolder } from '../runner/host-lock.js';
import { EXIT } from '../runner/options.js';
import { rootFor } from '../runner/outcome.js';
import { connect } from '../transport/connect.js';
import { lockDirFor } from '../transport/host-paths.js';
import type { RoseyEnv } from './env.js';

/**
 * `rosey-apply unlock -i INV --limit HOST`: break the run lock of hosts whose
 * run is gone (a stale lock is taken over by the next run anyway, after its
 * holder has been silent for 90 s; this is for not waiting). --limit is
 * required: breaking every host's lock at once is never what a person means.
 */
export async function runUnlock(argv: string[], env: RoseyEnv): Promise<number> {
  const cmd = new Command('rosey-apply unlock')
    .description('Break the run lock of hosts whose run is gone (a lock silent for 90 s is taken over by the next run anyway)')
    .option('-i, --inventory <path>', 'inventory directory or hosts file', 'inventory/local')
    .requiredOption('-l, --limit <pattern>', 'the hosts whose lock to break (required: never every host at once)')
    .addHelpText('after', '\nExample:\n  rosey-apply unlock -i inventory/prod -l rosey-prod-bot1\n\nExit 0 when every host answered, 4 when one was unreachable.')
    .exitOverride();
  cmd.parse(argv, { from: 'user' });
  const flags = cmd.opts<{ inventory: string; limit: string }>();
  const inventory = await loadInventory(flags.inventory);
  const names = inventory.selectHosts(flags.limit);
  if (!names.length) throw userError(`--limit ${flags.limit} matches no host of ${inventory.name}`);
  let failed = false;
  for (const name of names) {
    const spec = inventory.connectionSpec(name);
    try {
      const conn = await connect({ ...spec, knownHostsPath: spec.knownHostsPath ?? env.knownHostsPath });
      try {
        const r = await conn.exec(breakCmd(lockDirFor(name)), { become: rootFor(spec) });
        const holder = r.stdout.trim() ? parseHolder(r.stdout.trim()) : undefined;
        console.log(r.stdout.trim() ? `${name}: removed the lock of ${describeHolder(holder)}` : `${name}: not locked`);
      } finally {
        await conn.close();
      }
    } catch (err) {
      failed = true;
      console.log(`${name}: ${(err as Error).message}`);
    }
  }
  return failed ? EXIT.unreachable : EXIT.ok;
}

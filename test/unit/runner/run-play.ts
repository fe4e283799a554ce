import { resolve } from 'node:path';
import { parseArgs } from '../../../src/cli/parse.js';
import { checkUndefinedVars } from '../../../src/cli/static-check.js';
import { UserError } from '../../../src/errors/diagnostic.js';
import { loadInventory } from '../../../src/inventory/inventory.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import type { Reporter, RunEvent } from '../../../src/runner/events.js';
import { runPlaybook, type RunInput } from '../../../src/runner/run.js';
import { connect } from '../../../src/transport/connect.js';
import type { Connection, ConnectionSpec } from '../../../src/transport/connection.js';

/** What a whole run did, in the shape test/fixtures/ansible-compat/<case>/expected.json records Ansible's. */
export interface Observed {
  rc: number;
  /** per host, in order: "<status> <task title>" */
  ran: Record<string, string[]>;
  recap: Record<string, Record<string, number>>;
  events: RunEvent[];
  /** the load-time refusal, when there was one */
  error?: string;
}

/**
 * Run a playbook in this process as rosey-apply would (load, static check,
 * run), over real local connections or `connectWith` (a fake), collecting
 * every event. No journal is written, on a host only by `atHostEnd`.
 */
export async function runPlay(playbook: string, inventory: string, flags: string[] = [], connectWith?: (spec: ConnectionSpec) => Promise<Connection>, atHostEnd?: RunInput['atHostEnd']): Promise<Observed> {
  const options = parseArgs([resolve(playbook), '-i', resolve(inventory), ...flags], { user: 'test', journalDir: '/nonexistent', tty: false, canPrompt: false, ci: true });
  const events: RunEvent[] = [];
  const reporter: Reporter = { event: (e) => void events.push(e), close: async () => undefined };
  try {
    const inv = await loadInventory(options.inventory);
    const pb = loadPlaybook(options.playbook);
    checkUndefinedVars(pb, inv, options);
    const outcome = await runPlaybook({ playbook: pb, inventory: inv, options, reporter, runId: 'test-run', connect: connectWith ?? connect, ...(atHostEnd ? { atHostEnd } : {}) });
    const recap: Observed['recap'] = {};
    for (const h of outcome.record.hosts) recap[h.host] = { ...h.counts };
    return { rc: outcome.exitCode, ran: ranOf(events), recap, events };
  } catch (err) {
    if (err instanceof UserError) return { rc: 1, ran: {}, recap: {}, events, error: err.message };
    throw err;
  }
}

function ranOf(events: RunEvent[]): Record<string, string[]> {
  const ran: Record<string, string[]> = {};
  for (const e of events) {
    if (e.kind === 'host-result') (ran[e.host] ??= []).push(`${e.result.ignored ? 'ignored' : e.result.status} ${e.task.title}`);
  }
  return ran;
}

import { loadInventory, type Inventory } from '../inventory/inventory.js';
import type { RunRecord } from '../journal/record.js';
import { newRunId } from '../journal/run-id.js';
import { writeLocalRecord, writeRemoteRecord } from '../journal/writer.js';
import { rootFor } from '../runner/outcome.js';
import { loadPlaybook } from '../playbook/load.js';
import type { Playbook, TaskNode } from '../playbook/types.js';
import { formatDiagnostic } from '../report/diagnostics.js';
import { JsonReporter } from '../report/json.js';
import { PlainReporter } from '../report/plain.js';
import { recapMarkdown } from '../report/recap.js';
import { noteTaskResults } from './code-cache.js';
import { DiffCollector, diffsMarkdown } from '../report/markdown-diffs.js';
import { maskDeep, maskingReporter } from '../report/mask.js';
import { maskText } from '../shared/secret.js';
import type { Reporter } from '../runner/events.js';
import { runPlaybook, type RunOutcome } from '../runner/run.js';
import { connect } from '../transport/connect.js';
import { ExecCounter } from '../transport/exec-count.js';
import { taskInfo } from '../runner/play.js';
import type { RoseyEnv } from './env.js';
import { EXIT, type RunOptions } from '../runner/options.js';
import { checkUndefinedVars } from './static-check.js';
import { printOut } from './print.js';
import { BatchedOut } from '../report/batched-out.js';
import { shardGroup, shardInventory, type ShardInfo } from './shard.js';

async function reporterFor(options: RunOptions, env: RoseyEnv, execs: ExecCounter): Promise<Reporter> {
  // the TTY view (listr2 and its dependencies) loads only on a terminal
  if (options.output === 'auto' && env.tty) return new (await import('../report/tty.js')).TtyReporter();
  const out = new BatchedOut(process.stdout);
  const printer = options.output === 'json' ? new JsonReporter(out, execs) : new PlainReporter(out);
  return {
    event: (e) => printer.event(e),
    close: async () => {
      await printer.close();
      out.flush();
    },
  };
}

/** The printer, and the job summary's diff collector when there is one. */
function both(printer: Reporter, collector: Reporter | undefined): Reporter {
  if (!collector) return printer;
  return {
    event: (e) => {
      printer.event(e);
      collector.event(e);
    },
    close: async () => {
      await Promise.all([printer.close(), collector.close()]);
    },
  };
}

/** The dashboard client loads only when the inventory names a dashboard. */
async function postRun(url: string, token: string | undefined, record: RunRecord, log: (m: string) => void): Promise<void> {
  const { postRunToDashboard } = await import('../journal/dashboard-client.js');
  await postRunToDashboard(url, token, record, log);
}

function listTasks(nodes: TaskNode[], indent: string): string[] {
  return nodes.flatMap((n) =>
    n.kind === 'block'
      ? [...listTasks(n.block, indent), ...listTasks(n.rescue, indent), ...listTasks(n.always, indent)]
      : [`${indent}${taskInfo(n, false).title}${n.tags.length ? `\tTAGS: [${n.tags.join(', ')}]` : ''}`],
  );
}

/** The listing modes: they read and validate everything and contact nothing. */
function listing(playbook: Playbook, inventory: Inventory, options: RunOptions): number | undefined {
  if (options.syntaxCheck) {
    printOut(`playbook: ${playbook.file}\n`);
    return EXIT.ok;
  }
  if (!options.listHosts && !options.listTasks) return undefined;
  const lines: string[] = [];
  for (const play of playbook.plays) {
    lines.push(`\nplay: ${play.name}`);
    if (options.listHosts) {
      const hosts = inventory.selectHosts(play.hosts, options.limit);
      lines.push(`  hosts (${hosts.length}):`, ...hosts.map((h) => `    ${h}`));
    }
    if (options.listTasks) {
      lines.push('  tasks:');
      play.sections.forEach((s) => lines.push(...listTasks(s.tasks, '    ')));
    }
  }
  printOut(lines.join('\n') + '\n');
  return EXIT.ok;
}

/** What a caller adds to a run: another reporter that sees every (masked) event; `quiet` drops the printer. */
export interface RunHooks {
  observe?: Reporter;
  quiet?: boolean;
}

const SILENT: Reporter = { event: () => undefined, close: async () => undefined };

export async function runApply(options: RunOptions, env: RoseyEnv, hooks: RunHooks = {}): Promise<{ exitCode: number; summary?: string; environment?: string; runId?: string }> {
  const loaded = await loadInventory(options.inventory);
  for (const w of loaded.warnings) process.stderr.write(maskText(formatDiagnostic(w)) + '\n');
  const playbook = loadPlaybook(options.playbook);
  // every pattern must resolve before anything is contacted
  for (const play of playbook.plays) loaded.selectHosts(play.hosts, options.limit);
  const { inventory, shard } = sharded(loaded, playbook, options, env);
  checkUndefinedVars(playbook, inventory, options);
  const listed = listing(playbook, inventory, options);
  if (listed !== undefined) return { exitCode: listed };

  // every printer sees events with secret values masked (vault values that a template turned into text)
  const execs = new ExecCounter();
  // the job summary gets the --diff changes too, grouped as on the terminal
  const diffs = env.stepSummary && options.diff ? new DiffCollector() : undefined;
  const printer = hooks.quiet ? SILENT : await reporterFor(options, env, execs);
  const reporter = maskingReporter(both(both(printer, diffs), hooks.observe));
  const runId = newRunId();
  const dashboardUrl = dashboardUrlOf(inventory);
  const log = (msg: string): void => reporter.event({ kind: 'warning', message: msg });
  const started: RunRecord = { id: runId, environment: inventory.name, playbook: playbook.file, user: options.user, check: options.check, startedAt: new Date().toISOString(), status: 'running', ...shard, hosts: [] };
  if (dashboardUrl && !options.check) await postRun(dashboardUrl, env.dashboardToken, started, log);

  // the record goes to files, hosts and the dashboard, secret values masked
  // in all of them: masked once (the runner hands every host the same record)
  let masked: { from: RunRecord; to: RunRecord } | undefined;
  const maskOnce = (r: RunRecord): RunRecord => (masked?.from === r ? masked.to : (masked = { from: r, to: { ...maskDeep(r), ...shard } }).to);
  const outcome = await runPlaybook({
    playbook,
    inventory,
    options,
    reporter,
    runId,
    connect: async (spec) => execs.wrap(await connect({ ...spec, knownHostsPath: spec.knownHostsPath ?? options.knownHostsPath })),
    // each host keeps its part of the record (runs and undo read it there)
    atHostEnd: (conn, record, h, then) => writeRemoteRecord(conn, maskOnce(record), h.name, rootFor(h.spec), then),
  });
  const record = maskOnce(outcome.record);
  noteTaskResults(record.hosts);
  reporter.event({ kind: 'recap', hosts: record.hosts.map((h) => ({ host: h.host, counts: h.counts })), record });
  await finish({ ...outcome, record }, options, log);
  if (dashboardUrl && !options.check) await postRun(dashboardUrl, env.dashboardToken, record, log);
  await reporter.close();
  return { exitCode: outcome.exitCode, summary: maskText(recapMarkdown(record, diffs ? diffsMarkdown(diffs.tasks) : '')), environment: inventory.name, runId };
}

/** The controller's copy of the record (the runner wrote each host's part before closing its connections). */
async function finish(outcome: RunOutcome, options: RunOptions, log: (m: string) => void): Promise<void> {
  try {
    await writeLocalRecord(options.journalDir, outcome.record);
  } catch (err) {
    log(`could not write the run record to ${options.journalDir}: ${(err as Error).message}`);
  }
}

function dashboardUrlOf(inventory: Inventory): string | undefined {
  const first = inventory.selectHosts('all')[0];
  const url = first ? inventory.hostVars(first).rosey_dashboard_url : undefined;
  return typeof url === 'string' && url ? url : undefined;
}

/** --shard I/N: the inventory narrowed to this shard's hosts, and what the run record keeps of it. */
function sharded(inventory: Inventory, playbook: Playbook, options: RunOptions, env: RoseyEnv): { inventory: Inventory; shard?: { shard: ShardInfo } } {
  if (!options.shard) return { inventory };
  const part = shardInventory(inventory, playbook, options.limit, options.shard);
  const group = shardGroup(env.shardGroup, playbook.file, inventory.file, options.shard.count);
  return { inventory: part.inventory, shard: { shard: { ...options.shard, group, hosts: part.hosts.length } } };
}

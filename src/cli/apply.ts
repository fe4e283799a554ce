import { loadInventory, type Inventory } from '../inventory/inventory.js';
import { postRunToDashboard } from '../journal/dashboard-client.js';
import type { RunRecord } from '../journal/record.js';
import { newRunId } from '../journal/run-id.js';
import { writeLocalRecord, writeRemoteRecord } from '../journal/writer.js';
import { rootFor } from '../runner/outcome.js';
import { loadPlaybook } from '../playbook/load.js';
import type { Playbook, TaskNode } from '../playbook/types.js';
import { formatDiagnostic } from '../report/diagnostics.js';
import { JsonReporter } from '../report/json.js';
import { PlainReporter } from '../report/plain.js';
import { TtyReporter } from '../report/tty.js';
import { recapMarkdown } from '../report/recap.js';
import { maskDeep, maskingReporter } from '../report/mask.js';
import { maskText } from '../shared/secret.js';
import type { Reporter } from '../runner/events.js';
import { runPlaybook, type RunOutcome } from '../runner/run.js';
import { connect } from '../transport/connect.js';
import { taskInfo } from '../runner/play.js';
import type { RoseyEnv } from './env.js';
import { EXIT, type RunOptions } from '../runner/options.js';
import { checkUndefinedVars } from './static-check.js';

function reporterFor(options: RunOptions, env: RoseyEnv): Reporter {
  if (options.output === 'json') return new JsonReporter();
  if (options.output === 'auto' && env.tty) return new TtyReporter();
  return new PlainReporter();
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
    console.log(`playbook: ${playbook.file}`);
    return EXIT.ok;
  }
  if (!options.listHosts && !options.listTasks) return undefined;
  for (const play of playbook.plays) {
    console.log(`\nplay: ${play.name}`);
    if (options.listHosts) {
      const hosts = inventory.selectHosts(play.hosts, options.limit);
      console.log(`  hosts (${hosts.length}):`);
      hosts.forEach((h) => console.log(`    ${h}`));
    }
    if (options.listTasks) {
      console.log('  tasks:');
      play.sections.forEach((s) => listTasks(s.tasks, '    ').forEach((l) => console.log(l)));
    }
  }
  return EXIT.ok;
}

export async function runApply(options: RunOptions, env: RoseyEnv): Promise<{ exitCode: number; summary?: string }> {
  const inventory = await loadInventory(options.inventory);
  for (const w of inventory.warnings) process.stderr.write(maskText(formatDiagnostic(w)) + '\n');
  const playbook = loadPlaybook(options.playbook);
  // every pattern must resolve before anything is contacted
  for (const play of playbook.plays) inventory.selectHosts(play.hosts, options.limit);
  checkUndefinedVars(playbook, inventory, options);
  const listed = listing(playbook, inventory, options);
  if (listed !== undefined) return { exitCode: listed };

  // every printer sees events with secret values masked (vault values that a template turned into text)
  const reporter = maskingReporter(reporterFor(options, env));
  const runId = newRunId();
  const dashboardUrl = dashboardUrlOf(inventory);
  const log = (msg: string): void => reporter.event({ kind: 'warning', message: msg });
  const started: RunRecord = { id: runId, environment: inventory.name, playbook: playbook.file, user: options.user, check: options.check, startedAt: new Date().toISOString(), status: 'running', hosts: [] };
  if (dashboardUrl && !options.check) await postRunToDashboard(dashboardUrl, env.dashboardToken, started, log);

  const outcome = await runPlaybook({
    playbook,
    inventory,
    options,
    reporter,
    runId,
    connect: (spec) => connect({ ...spec, knownHostsPath: spec.knownHostsPath ?? options.knownHostsPath }),
    // each host keeps its part of the record (runs and undo read it there), secrets masked
    atHostEnd: (conn, record, h) => writeRemoteRecord(conn, maskDeep(record), h.name, rootFor(h.spec)),
  });
  // the record goes to files, hosts and the dashboard: secret values masked in all of them
  const record = maskDeep(outcome.record);
  reporter.event({ kind: 'recap', hosts: record.hosts.map((h) => ({ host: h.host, counts: h.counts })), record });
  await finish({ ...outcome, record }, options, log);
  if (dashboardUrl && !options.check) await postRunToDashboard(dashboardUrl, env.dashboardToken, record, log);
  await reporter.close();
  return { exitCode: outcome.exitCode, summary: maskText(recapMarkdown(record)) };
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

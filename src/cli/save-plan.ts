import { EXIT, type RunOptions } from '../runner/options.js';
import { maskDeep } from '../report/mask.js';
import { PLAN_FORMAT, type PlanFile } from '../saved-plan/format.js';
import { writePlan } from '../saved-plan/file.js';
import { gitIdentity, inventoryDigest, playbookDigest } from '../saved-plan/identity.js';
import { PlanRecorder } from '../saved-plan/recorder.js';
import { runApply } from './apply.js';
import type { RoseyEnv } from './env.js';

/**
 * `--check --out plan.json`: the dry run, and its plan saved for review and
 * for `rosey-apply apply`. A dry run that failed or could not reach a host
 * saves nothing: an incomplete plan is not one to approve.
 */
export async function runCheckSavingPlan(options: RunOptions & { planOut: string }, env: RoseyEnv): Promise<{ exitCode: number; summary?: string }> {
  const recorder = new PlanRecorder();
  const r = await runApply(options, env, { observe: recorder });
  if (r.exitCode !== EXIT.ok && r.exitCode !== EXIT.changesPending) {
    process.stderr.write(`no plan saved to ${options.planOut}: the dry run did not succeed on every host (exit ${r.exitCode})\n`);
    return r;
  }
  const hosts = recorder.hosts();
  const git = await gitIdentity();
  const plan: PlanFile = {
    format: PLAN_FORMAT,
    createdAt: new Date().toISOString(),
    runId: r.runId ?? '',
    user: options.user,
    environment: r.environment ?? '',
    playbook: { path: options.playbook, sha256: playbookDigest(options.playbook) },
    inventory: { path: options.inventory, sha256: inventoryDigest(options.inventory) },
    ...(git ? { git } : {}),
    options: { ...(options.limit ? { limit: options.limit } : {}), tags: options.tags, skipTags: options.skipTags, extraVars: maskDeep(options.extraVars) },
    hosts,
  };
  await writePlan(options.planOut, plan);
  const changes = hosts.reduce((n, h) => n + h.steps.reduce((m, s) => m + s.changes.length, 0), 0);
  process.stderr.write(`plan saved to ${options.planOut}: ${changes} change${changes === 1 ? '' : 's'} on ${hosts.length} host${hosts.length === 1 ? '' : 's'}; apply exactly it with: rosey-apply apply ${options.planOut}\n`);
  return r;
}

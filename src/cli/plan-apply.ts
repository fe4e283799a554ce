import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { userError } from '../errors/diagnostic.js';
import { EXIT, type RunOptions } from '../runner/options.js';
import { compareHost, describeDrift, type Drift } from '../saved-plan/compare.js';
import { readPlan } from '../saved-plan/file.js';
import type { PlanFile } from '../saved-plan/format.js';
import { inventoryDigest, playbookDigest } from '../saved-plan/identity.js';
import { PlanRecorder } from '../saved-plan/recorder.js';
import { MASK } from '../shared/secret.js';
import { parseExtraVars } from '../vars/extra-vars.js';
import { useVaultPassword } from '../vault/keyring.js';
import { passwordGetter } from '../vault/password.js';
import { runApply } from './apply.js';
import type { RoseyEnv } from './env.js';

interface Flags {
  extraVars: string[];
  diff: boolean;
  forks: number;
  output: 'auto' | 'plain' | 'json';
  vaultPasswordFile?: string;
  reason?: string;
  lockTimeout: number;
}

function program(): Command {
  return new Command('rosey-apply apply')
    .description('Apply a saved plan (rosey-apply PLAYBOOK -i INV --check --out plan.json): exactly its changes, refusing every host whose facts changed since')
    .argument('<plan>', 'the plan file')
    .option('-e, --extra-vars <vars>', 'more extra vars (connection paths that differ on this machine); they must not change the plan', (v: string, p: string[]) => [...p, v], [])
    .option('-D, --diff', 'show the changes as they are made', false)
    .option('-f, --forks <n>', 'hosts worked on in parallel', (v) => Number(v), 10)
    .addOption(new Option('--output <kind>', 'output format').choices(['auto', 'plain', 'json']).default('auto'))
    .option('--vault-password-file <file>', 'the vault password (else ROSEY_VAULT_PASSWORD_FILE)')
    .option('--reason <text>', 'why this run happens (kept in the run record)')
    .option('--lock-timeout <seconds>', 'wait this long for another run holding a host to finish', (v) => Number(v), 60)
    .exitOverride();
}

/** The plan's playbook and inventory must be the files it was made from: else nothing is contacted. */
function staleFiles(plan: PlanFile): string[] {
  const out: string[] = [];
  const check = (what: string, path: string, sha: string, digest: (p: string) => string): void => {
    if (!existsSync(path)) out.push(`the ${what} ${path} is not there (run rosey-apply apply from the directory the plan was made in)`);
    else if (digest(path) !== sha) out.push(`the ${what} ${path} changed since the plan was made: make and review a new plan`);
  };
  check('playbook', plan.playbook.path, plan.playbook.sha256, playbookDigest);
  check('inventory', plan.inventory.path, plan.inventory.sha256, inventoryDigest);
  return out;
}

/** The run the plan was made from, as options: its selection and variables, with this machine's -e on top. */
function optionsFor(plan: PlanFile, flags: Flags, env: RoseyEnv): RunOptions {
  const extra = parseExtraVars(flags.extraVars, process.cwd());
  const saved = plan.options.extraVars;
  for (const [k, v] of Object.entries(saved)) {
    if (!(k in extra) && JSON.stringify(v).includes(MASK)) throw userError(`the plan's extra var "${k}" holds a secret, which a plan never keeps`, undefined, `pass it again: rosey-apply apply <plan> -e ${k}=...`);
  }
  return {
    playbook: plan.playbook.path,
    inventory: plan.inventory.path,
    ...(plan.options.limit ? { limit: plan.options.limit } : {}),
    check: true,
    diff: false,
    forks: flags.forks,
    tags: plan.options.tags,
    skipTags: plan.options.skipTags,
    extraVars: { ...saved, ...extra },
    output: flags.output,
    listHosts: false,
    listTasks: false,
    syntaxCheck: false,
    detailedExitcode: false,
    user: env.user,
    reason: flags.reason ?? env.reason,
    journalDir: env.journalDir,
    knownHostsPath: env.knownHostsPath,
    vaultPasswordFile: flags.vaultPasswordFile ?? env.vaultPasswordFile,
    verbose: 0,
    lockTimeoutS: flags.lockTimeout,
  };
}

/** A fresh dry run, compared host by host with the plan: the hosts that still match, and why the others do not. */
async function verify(plan: PlanFile, options: RunOptions, env: RoseyEnv): Promise<{ accepted: string[]; refused: { host: string; drift: Drift }[] }> {
  const recorder = new PlanRecorder();
  await runApply(options, env, { observe: recorder, quiet: true });
  const fresh = new Map(recorder.hosts().map((h) => [h.host, h]));
  const accepted: string[] = [];
  const refused: { host: string; drift: Drift }[] = [];
  for (const saved of plan.hosts) {
    const drift = compareHost(saved, fresh.get(saved.host));
    if (drift) refused.push({ host: saved.host, drift });
    else accepted.push(saved.host);
  }
  for (const host of fresh.keys()) if (!plan.hosts.some((h) => h.host === host)) refused.push({ host, drift: { kind: 'host', reason: 'the host is not in the reviewed plan' } });
  return { accepted, refused };
}

/**
 * `rosey-apply apply plan.json`: apply exactly the reviewed plan. A dry run
 * first reads every host again and compares, step by step, the facts and
 * the changes with the plan; a host that differs is refused (named with the
 * task and the fact) and not touched. The others are applied with the
 * plan's playbook, inventory, selection and variables: plan() is pure, so
 * the same facts give the same changes. Exit 5 when any host was refused.
 */
export async function runPlanApply(argv: string[], env: RoseyEnv): Promise<number> {
  const cmd = program();
  cmd.parse(argv, { from: 'user' });
  const flags = cmd.opts<Flags>();
  const file = cmd.args[0]!;
  if (flags.vaultPasswordFile) useVaultPassword(passwordGetter({ file: flags.vaultPasswordFile, prompt: env.canPrompt }));
  const plan = readPlan(file);
  const stale = staleFiles(plan);
  if (stale.length) {
    stale.forEach((s) => process.stderr.write(`REFUSED: ${s}\n`));
    process.stderr.write('no host was contacted.\n');
    return EXIT.planDrift;
  }
  const options = optionsFor(plan, flags, env);
  const made = `made ${plan.createdAt} by ${plan.user}${plan.git ? ` at ${plan.git.commit.slice(0, 12)}${plan.git.dirty ? ' (uncommitted changes)' : ''}` : ''}`;
  process.stderr.write(`verifying the plan ${file} (${made}) against the hosts...\n`);
  const { accepted, refused } = await verify(plan, options, env);
  for (const r of refused) process.stderr.write(`REFUSED: [${r.host}] ${describeDrift(r.drift)}; the host was not touched\n`);
  for (const host of accepted) process.stderr.write(`plan: [${host}] matches the reviewed plan\n`);
  if (accepted.length === 0) return refused.length ? EXIT.planDrift : EXIT.ok;
  const r = await runApply({ ...options, check: false, diff: flags.diff, limit: accepted.join(','), reason: options.reason ?? `the reviewed plan ${file}` }, env);
  if (r.summary && env.stepSummary) await appendFile(env.stepSummary, r.summary).catch(() => undefined);
  return r.exitCode !== EXIT.ok ? r.exitCode : refused.length ? EXIT.planDrift : EXIT.ok;
}

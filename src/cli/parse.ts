import { userError } from '../errors/diagnostic.js';
import { MAIN_HELP_AFTER } from './help.js';
import { parseShard } from './shard.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseExtraVars } from '../vars/extra-vars.js';
import type { RoseyEnv } from './env.js';
import type { RunOptions } from '../runner/options.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of seconds >= 0');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function commaList(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

export function buildProgram(): Command {
  return new Command('rosey-apply')
    .description('Apply a playbook to the hosts of an inventory over SSH')
    .argument('<playbook>', 'playbook file, e.g. playbooks/site.yml')
    .option('-i, --inventory <path>', 'inventory directory or hosts file', 'inventory/local')
    .option('-l, --limit <pattern>', 'further limit the hosts, e.g. "web:!web3"')
    .option('-C, --check', 'dry run: plan only, change nothing', false)
    .option('-D, --diff', 'show the changes of files, modes and owners', false)
    .option('-f, --forks <n>', 'hosts worked on in parallel', positiveInt, 10)
    .option('-t, --tags <tags>', 'run only tasks with these tags (comma list, repeatable)', collect, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags', collect, [])
    .option('-e, --extra-vars <vars>', 'k=v, JSON, or @file (repeatable; highest precedence)', collect, [])
    .option('--list-hosts', 'list the hosts each play would target, then exit', false)
    .option('--list-tasks', 'list the tasks of each play, then exit', false)
    .option('--syntax-check', 'validate the playbook and inventory, then exit', false)
    .option('--detailed-exitcode', 'with --check: exit 3 when changes are pending', false)
    .option('--out <file>', 'with --check: save the plan (changes and the facts they were planned from) for `rosey-apply apply <file>`')
    .addOption(new Option('--output <kind>', 'output format').choices(['auto', 'plain', 'json']).default('auto'))
    .option('--json', 'JSON lines output (same as --output json)', false)
    .option('--vault-password-file <file>', 'the vault password (else ROSEY_VAULT_PASSWORD_FILE, else asked on a terminal)')
    .option('--reason <text>', 'why this run happens (kept in the run record)')
    .option('--lock-timeout <seconds>', 'wait this long for another run holding a host to finish', nonNegativeInt, 60)
    .option('--shard <I/N>', 'apply only part I of N of the selected hosts (split by name; for CI matrices)')
    .option('-v, --verbose', 'accepted (repeatable) for Ansible compatibility; prints nothing more yet', (_v: string, prev: number) => prev + 1, 0)
    .addHelpText('after', MAIN_HELP_AFTER)
    .showHelpAfterError()
    .exitOverride();
}

/** commander's view of the flags: the run's own options as they are, the rest still text. */
interface Flags
  extends Pick<RunOptions, 'inventory' | 'limit' | 'check' | 'diff' | 'forks' | 'tags' | 'skipTags' | 'listHosts' | 'listTasks' | 'syntaxCheck' | 'detailedExitcode' | 'output' | 'reason' | 'vaultPasswordFile' | 'verbose'> {
  extraVars: string[];
  out?: string;
  json: boolean;
  lockTimeout: number;
  shard?: string;
}

export function parseArgs(argv: string[], env: RoseyEnv): RunOptions {
  const program = buildProgram();
  program.parse(argv, { from: 'user' });
  const f = program.opts<Flags>();
  if (f.out !== undefined && !f.check) throw userError('--out saves the plan of a dry run: use it with --check', undefined, 'rosey-apply PLAYBOOK -i INVENTORY --check --out plan.json, then rosey-apply apply plan.json');
  return {
    playbook: program.args[0]!,
    inventory: f.inventory,
    limit: f.limit,
    check: f.check,
    diff: f.diff,
    forks: f.forks,
    tags: commaList(f.tags),
    skipTags: commaList(f.skipTags),
    extraVars: parseExtraVars(f.extraVars, process.cwd()),
    output: f.json ? 'json' : f.output,
    listHosts: f.listHosts,
    listTasks: f.listTasks,
    syntaxCheck: f.syntaxCheck,
    detailedExitcode: f.detailedExitcode,
    ...(f.out !== undefined ? { planOut: f.out } : {}),
    user: env.user,
    reason: f.reason ?? env.reason,
    journalDir: env.journalDir,
    knownHostsPath: env.knownHostsPath,
    vaultPasswordFile: f.vaultPasswordFile ?? env.vaultPasswordFile,
    verbose: f.verbose,
    lockTimeoutS: f.lockTimeout,
    shard: f.shard === undefined ? undefined : parseShard(f.shard),
  };
}

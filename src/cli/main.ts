import { appendFile } from 'node:fs/promises';
import { CommanderError } from 'commander';
import { InternalError, UserError } from '../errors/diagnostic.js';
import { formatDiagnostic } from '../report/diagnostics.js';
import { maskText } from '../shared/secret.js';
import { flushAllOut } from '../report/batched-out.js';
import { passwordGetter } from '../vault/password.js';
import { useVaultPassword } from '../vault/keyring.js';
import { readEnv, type RoseyEnv } from './env.js';
import { EXIT } from '../runner/options.js';
import { parseArgs } from './parse.js';
import { runApply } from './apply.js';
import { runDoc } from './doc.js';
import { runUndo } from './undo.js';
import { runRuns } from './runs.js';
import { runUnlock } from './unlock.js';
import { runPlanApply } from './plan-apply.js';
import { runCheckSavingPlan } from './save-plan.js';

function lazyPrompt(file: string | undefined, env: RoseyEnv): { file?: string; prompt: boolean } {
  return {
    file,
    get prompt() {
      return env.canPrompt;
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const env = readEnv();
  // undo reads the inventory too, whose group_vars may be vault-encrypted
  // whether stdin is a terminal is asked only when a password is needed (see env.ts)
  useVaultPassword(passwordGetter(lazyPrompt(env.vaultPasswordFile, env)));
  if (argv[0] === 'doc') return runDoc(argv.slice(1));
  if (argv[0] === 'undo') return runUndo(argv.slice(1), env);
  if (argv[0] === 'runs') return runRuns(argv.slice(1), env);
  if (argv[0] === 'unlock') return runUnlock(argv.slice(1), env);
  if (argv[0] === 'apply') return runPlanApply(argv.slice(1), env);
  const options = parseArgs(argv, env);
  useVaultPassword(passwordGetter(lazyPrompt(options.vaultPasswordFile, env)));
  const { exitCode, summary } = options.planOut ? await runCheckSavingPlan({ ...options, planOut: options.planOut }, env) : await runApply(options, env);
  if (summary && env.stepSummary) await appendFile(env.stepSummary, summary).catch(() => undefined);
  return exitCode;
}

function report(err: unknown): number {
  flushAllOut();
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (err instanceof UserError) {
    // an error may quote a rendered value: secret values are masked here too
    for (const d of err.diagnostics) process.stderr.write(maskText(formatDiagnostic(d)) + '\n');
    const n = err.diagnostics.length;
    process.stderr.write(`\n${n} error${n === 1 ? '' : 's'}; nothing was changed on any host.\n`);
    return EXIT.usage;
  }
  const what = err instanceof InternalError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`INTERNAL ERROR: this is a bug in Rosey, not in your playbook.\n${maskText(what)}\nPlease report it with the command you ran and this message.\n`);
  return EXIT.internal;
}

/**
 * The run is over: exit with its code even if something still holds the
 * event loop (a connection a failed task left open). A clean run has let go
 * of everything and exits before the timer fires; the timer only ends a run
 * that would otherwise never end.
 */
function finish(code: number, graceMs: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), graceMs).unref();
}

main(process.argv.slice(2)).then(
  (code) => finish(code, 2000),
  (err: unknown) => {
    const code = report(err);
    // an internal error may leave work in flight: stop now (stderr to a pipe or file is written synchronously)
    if (code === EXIT.internal) process.exit(code);
    finish(code, 2000);
  },
);

// A rejection or exception no caller awaited is a bug too: report it and end, never hang.
const crash = (err: unknown): void => {
  process.exit(report(err));
};
process.on('unhandledRejection', crash);
process.on('uncaughtException', crash);

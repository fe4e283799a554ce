import { appendFile } from 'node:fs/promises';
import { CommanderError } from 'commander';
import { InternalError, UserError } from '../errors/diagnostic.js';
import { formatDiagnostic } from '../report/diagnostics.js';
import { readEnv } from './env.js';
import { EXIT } from '../runner/options.js';
import { parseArgs } from './parse.js';
import { runApply } from './apply.js';
import { runUndo } from './undo.js';
import { runRuns } from './runs.js';

async function main(argv: string[]): Promise<number> {
  const env = readEnv();
  if (argv[0] === 'undo') return runUndo(argv.slice(1), env);
  if (argv[0] === 'runs') return runRuns(argv.slice(1), env);
  const options = parseArgs(argv, env);
  const { exitCode, summary } = await runApply(options, env);
  if (summary && env.stepSummary) await appendFile(env.stepSummary, summary).catch(() => undefined);
  return exitCode;
}

function report(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (err instanceof UserError) {
    for (const d of err.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
    const n = err.diagnostics.length;
    process.stderr.write(`\n${n} error${n === 1 ? '' : 's'}; nothing was changed on any host.\n`);
    return EXIT.usage;
  }
  const what = err instanceof InternalError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`INTERNAL ERROR: this is a bug in Rosey, not in your playbook.\n${what}\nPlease report it with the command you ran and this message.\n`);
  return EXIT.internal;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = report(err);
  },
);

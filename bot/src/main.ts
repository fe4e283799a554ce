import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { Bot } from './bot.js';
import { ConfigError, loadConfig } from './config/load.js';
import { readSecrets } from './config/secrets.js';
import { createLogger } from './observe/log.js';
import { readVersion } from './version.js';

const SHUTDOWN_DEADLINE_MS = 5000;

/** `rosey-bot check-config FILE`: 0 and a short line when valid, 1 and every problem when not. */
export function checkConfig(file: string): number {
  try {
    const config = loadConfig(file);
    process.stdout.write(`${file}: valid (channel ${config.channel} on ${config.server}, health on ${config.health.host}:${config.health.port})\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(err.message + '\n');
    return 1;
  }
}

/** `rosey-bot --config FILE`: run until SIGTERM/SIGINT. */
export async function run(file: string): Promise<void> {
  let config;
  let secrets;
  try {
    config = loadConfig(file);
    secrets = readSecrets(config, process.env, file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(err.message + '\n');
    createLogger('error').error('invalid config, not starting', { file, problems: err.problems });
    process.exitCode = 1;
    return;
  }
  const log = createLogger(config.log_level, undefined, { channel: config.channel });
  const bot = new Bot({ config, secrets, log, version: readVersion() });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      log.error('shutdown took too long, exiting anyway', { deadline_ms: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    bot.stop().then(
      () => {
        clearTimeout(deadline);
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error('error while stopping', { error: err });
        process.exit(1);
      },
    );
  };
  process.on('uncaughtException', (err) => {
    // A bug: say so in the journal as JSON, then let systemd restart a clean process.
    log.error('internal error, exiting (a bug; please report it with this log)', { error: err, stack: err.stack });
    process.exit(70);
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  try {
    await bot.start();
  } catch (err) {
    log.error('cannot start', { error: err });
    await bot.stop().catch(() => {});
    process.exitCode = 1;
  }
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('rosey-bot')
    .description('Rosey: a CyTube chat bot with a health endpoint and Prometheus metrics')
    .version(readVersion(), '-V, --version')
    .option('-c, --config <file>', 'run the bot with this config file')
    .exitOverride();
  program
    .command('check-config')
    .description('validate a config file; exits 1 and names every bad field')
    .argument('<file>')
    .action((file: string) => {
      process.exitCode = checkConfig(file);
    });
  program.action(async (opts: { config?: string }) => {
    if (!opts.config) {
      program.outputHelp({ error: true });
      process.exitCode = 2;
      return;
    }
    await run(opts.config);
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

function isEntryPoint(): boolean {
  if (process.argv[1] === undefined) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Run when executed directly (node bot/src/main.ts, the bundle) or through bin/rosey-bot.js.
if (isEntryPoint() || process.argv[1]?.endsWith('rosey-bot') || process.argv[1]?.endsWith('rosey-bot.js')) {
  main(process.argv).then(
    (code) => {
      if (code !== 0) process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`rosey-bot: internal error (a bug; please report it with this output): ${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(70);
    },
  );
}

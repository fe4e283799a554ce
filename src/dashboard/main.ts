import { once } from 'node:events';
import type { Server } from 'node:http';
import { Command, InvalidArgumentError } from 'commander';
import { UserError } from '../errors/diagnostic.js';
import { createDashboard } from './app.js';
import { DEFAULT_CONFIG, loadConfig } from './config.js';

interface Flags {
  port: number;
  host: string;
  db: string;
  config?: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

const log = (message: string) => console.error(`rosey-dashboard: ${message}`);

async function run(flags: Flags): Promise<void> {
  const config = flags.config ? loadConfig(flags.config) : DEFAULT_CONFIG;
  // The only environment variable the dashboard reads, in one place.
  const token = process.env.ROSEY_DASHBOARD_TOKEN || undefined;
  const dashboard = createDashboard({ db: flags.db, config, token, log });
  const server: Server = dashboard.app.listen(flags.port, flags.host);
  await once(server, 'listening');
  const address = server.address();
  const where = typeof address === 'object' && address ? `http://${flags.host}:${address.port}` : String(address);
  log(`listening on ${where} (database ${flags.db}; reads ${config.publicReads ? 'public' : 'need the token'})`);
  if (token === undefined) log('ROSEY_DASHBOARD_TOKEN is not set: every write (deployments, alerts) will be refused');
  if (config.environments.length === 0) log('no environments configured: cards show deployments only, no bot health');

  const shutdown = (signal: string) => {
    log(`${signal}: shutting down`);
    server.close(() => {
      dashboard.close();
      process.exit(0);
    });
    server.closeAllConnections();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

const program = new Command('rosey-dashboard')
  .description('Deployment dashboard: live bot health, deployment history, alerts')
  .requiredOption('--db <file>', 'SQLite database file (created if missing)')
  .option('--port <port>', 'port to listen on', port, 5000)
  .option('--host <address>', 'address to listen on', '127.0.0.1')
  .option('--config <file>', 'JSON config: environments and their bot health URLs, public_reads, poll interval')
  .addHelpText('after', '\nThe write token is read from $ROSEY_DASHBOARD_TOKEN; without it, writes are refused.')
  .action((flags: Flags) => run(flags));

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof UserError) {
    console.error(err.message);
    process.exit(1);
  }
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE' || e.code === 'EACCES') {
    log(`cannot listen: ${e.message}`);
    process.exit(1);
  }
  console.error('rosey-dashboard: internal error (a bug: please report it with this output)');
  console.error(err);
  process.exit(250);
});

import { runVault } from './cli.js';

process.exitCode = runVault(process.argv.slice(2));

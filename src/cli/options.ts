import type { Shard } from './shard.js';

/**
 * Everything a run is told from outside, parsed once by the CLI. Nothing
 * below the CLI reads argv or the environment.
 */
export interface RunOptions {
  playbook: string;
  /** inventory directory or hosts file */
  inventory: string;
  limit?: string;
  check: boolean;
  diff: boolean;
  forks: number;
  tags: string[];
  skipTags: string[];
  extraVars: Record<string, unknown>;
  output: 'auto' | 'plain' | 'json';
  listHosts: boolean;
  listTasks: boolean;
  syntaxCheck: boolean;
  /** with --check: exit 3 when changes are pending */
  detailedExitcode: boolean;
  /** who runs it, for the journal */
  user: string;
  reason?: string;
  /** where run records are kept on the controller */
  journalDir: string;
  /** ssh known_hosts override (ROSEY_KNOWN_HOSTS) */
  knownHostsPath?: string;
  /** --vault-password-file, else ROSEY_VAULT_PASSWORD_FILE (read by the CLI, never below it) */
  vaultPasswordFile?: string;
  verbose: number;
  /** --shard I/N: apply only part I of N of the selected hosts */
  shard?: Shard;
}

/** Ansible's codes, but one meaning each (Ansible's 4 means both unreachable and parse error). */
export const EXIT = {
  ok: 0,
  usage: 1,
  failed: 2,
  changesPending: 3,
  unreachable: 4,
  internal: 250,
} as const;

/**
 * Everything a run is told from outside, parsed once by the CLI (which sits
 * above the runner and imports this; never the other way). Nothing
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
  /** with --check: save the plan there (the CLI writes it; the runner never reads this) */
  planOut?: string;
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
  /** how long to wait for another run's lock on a host (0: do not wait); --check takes no lock */
  lockTimeoutS?: number;
  /** --shard I/N: apply only part I (1-based) of N of the selected hosts */
  shard?: { index: number; count: number };
}

/** Ansible's codes, but one meaning each (Ansible's 4 means both unreachable and parse error). */
export const EXIT = {
  ok: 0,
  usage: 1,
  failed: 2,
  changesPending: 3,
  unreachable: 4,
  /** `rosey-apply apply plan.json`: a host (or the playbook) no longer matches the reviewed plan; those hosts were not touched */
  planDrift: 5,
  internal: 250,
} as const;

import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * The only place Rosey reads its environment. Documented variables:
 * ROSEY_USER (who runs it, for the journal), ROSEY_REASON, ROSEY_JOURNAL_DIR
 * (local run records), ROSEY_DASHBOARD_TOKEN (posting runs), ROSEY_KNOWN_HOSTS,
 * ROSEY_VAULT_PASSWORD_FILE (the vault password), GITHUB_STEP_SUMMARY
 * (Markdown recap), NO_COLOR, ROSEY_SHARD_GROUP (else GITHUB_RUN_ID and
 * GITHUB_RUN_ATTEMPT: the id the shards of one --shard run share).
 */
export interface RoseyEnv {
  user: string;
  reason?: string;
  journalDir: string;
  dashboardToken?: string;
  knownHostsPath?: string;
  stepSummary?: string;
  /** a file holding the vault password (--vault-password-file wins) */
  vaultPasswordFile?: string;
  tty: boolean;
  /** may the vault password be asked for on the terminal */
  canPrompt: boolean;
  /** CI is set: never ask anything on a terminal */
  ci: boolean;
  /** the id the N shards of one run share (see --shard) */
  shardGroup?: string;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): RoseyEnv {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep "unknown"
  }
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return {
    user: env.ROSEY_USER || env.GITHUB_ACTOR || osUser,
    reason: env.ROSEY_REASON || undefined,
    journalDir: env.ROSEY_JOURNAL_DIR || join(state, 'rosey', 'runs'),
    dashboardToken: env.ROSEY_DASHBOARD_TOKEN || undefined,
    knownHostsPath: env.ROSEY_KNOWN_HOSTS || undefined,
    stepSummary: env.GITHUB_STEP_SUMMARY || undefined,
    vaultPasswordFile: env.ROSEY_VAULT_PASSWORD_FILE || undefined,
    // read when first asked: process.stdin's getter builds a stream (and
    // loads tty and net on a terminal) that a check or listing never uses
    get tty() {
      return Boolean(process.stdout.isTTY) && !env.CI;
    },
    get canPrompt() {
      return Boolean(process.stdin.isTTY) && !env.CI;
    },
    ci: Boolean(env.CI),
    shardGroup: env.ROSEY_SHARD_GROUP || (env.GITHUB_RUN_ID ? `gh-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT || '1'}` : undefined),
  };
}

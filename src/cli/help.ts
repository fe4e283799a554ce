/**
 * What `rosey-apply --help` says after the options: the other commands, the
 * environment variables (src/cli/env.ts reads them) and the exit codes
 * (EXIT in src/runner/options.ts). A unit test checks the docs name only
 * flags some help text lists.
 */
export const MAIN_HELP_AFTER = `
Commands (each has its own --help):
  rosey-apply <playbook> [options]      apply the playbook (the options above)
  rosey-apply doc [module]              a module's arguments; without a module, the list of modules
  rosey-apply runs [options]            recent runs, read from the hosts' run records
  rosey-apply undo <run-id> [options]   put back what a run changed on its hosts
  rosey-apply unlock -l <hosts>         break the run lock of hosts whose run is gone
  rosey-apply apply <plan.json>         apply exactly a plan saved with --check --out (docs/plans.md)

Examples:
  rosey-apply playbooks/site.yml -i inventory/test --check --diff
  rosey-apply playbooks/site.yml -i inventory/test --check --out plan.json && rosey-apply apply plan.json
  rosey-apply playbooks/site.yml -i inventory/prod --limit bots --reason "release 1.4.2"
  rosey-apply playbooks/site.yml -i inventory/prod --syntax-check

Environment:
  ROSEY_VAULT_PASSWORD_FILE  file holding the vault password (--vault-password-file wins)
  ROSEY_REASON               the run's reason when --reason is not given
  ROSEY_USER                 who runs it, for the run record (else GITHUB_ACTOR, else the login user)
  ROSEY_JOURNAL_DIR          local run records (default ~/.local/state/rosey/runs)
  ROSEY_KNOWN_HOSTS          known_hosts file for hosts without rosey_known_hosts_file
  ROSEY_DASHBOARD_TOKEN      token for posting the run record to the dashboard
  ROSEY_SHARD_GROUP          id the shards of one --shard run share (else from GITHUB_RUN_ID)
  GITHUB_STEP_SUMMARY        file the Markdown recap is appended to
  CI                         set: never ask on a terminal, plain output
  SSH_AUTH_SOCK              an ssh-agent to offer keys from, besides the inventory's key file

Exit codes:
  0 every host ok; 1 bad usage or invalid playbook/inventory (no host contacted);
  2 a task failed; 3 --check --detailed-exitcode found pending changes;
  4 a host was unreachable (and none failed); 5 rosey-apply apply refused a host
  that no longer matches the saved plan (it was not touched)

Docs: docs/getting-started.md, docs/concepts.md, docs/engine.md, docs/modules.md`;

#!/usr/bin/env bash
# The environment's secrets (given as variables by the workflow) to 0600
# files, and their paths to the following steps. Values are never printed.
#   SSH_KEY, KNOWN_HOSTS, VAULT_PASSWORD -> ROSEY_SSH_KEY_FILE, ROSEY_KNOWN_HOSTS, ROSEY_VAULT_PASSWORD_FILE
set -euo pipefail
dir="$(mktemp -d "${RUNNER_TEMP:-/tmp}/rosey-secrets.XXXXXX")"
chmod 0700 "$dir"
umask 077
out="${GITHUB_ENV:-/dev/stdout}"
write() { # name, value, variable
  [ -n "$2" ] || return 0
  printf '%s\n' "$2" > "$dir/$1"
  echo "$3=$dir/$1" >> "$out"
}
write id_ssh "${SSH_KEY:-}" ROSEY_SSH_KEY_FILE
write known_hosts "${KNOWN_HOSTS:-}" ROSEY_KNOWN_HOSTS
write vault_password "${VAULT_PASSWORD:-}" ROSEY_VAULT_PASSWORD_FILE
[ -n "${SSH_KEY:-}" ] || echo "::warning::no SSH key secret: hosts will be reached with the runner's own keys"

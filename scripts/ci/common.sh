# Shared by the CI scripts: the workflows stay thin, these do the work, and
# the test suite runs them against the local test hosts with the same inputs.
#
# Inputs (files, never values on a command line):
#   ROSEY_SSH_KEY_FILE         private key for the environment's hosts
#   ROSEY_KNOWN_HOSTS          known_hosts for them (host keys stay verified)
#   ROSEY_VAULT_PASSWORD_FILE  the vault password
#   GITHUB_STEP_SUMMARY        where the Markdown recap goes (optional)
# ROSEY_INVENTORY overrides inventory/<env> (the tests point it at the testbed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

die() { echo "::error::$*" >&2; exit 1; }

inventory_for() {
  local env="$1"
  [[ "$env" =~ ^[a-z][a-z0-9-]*$ ]] || die "environment must be a plain name, not '$env'"
  local inv="${ROSEY_INVENTORY:-inventory/$env}"
  [ -e "$inv" ] || die "no inventory $inv for environment '$env'"
  printf '%s' "$inv"
}

# rosey-apply with the environment's key; secrets only as file paths
rosey() {
  local args=()
  [ -n "${ROSEY_SSH_KEY_FILE:-}" ] && args+=(-e "ansible_ssh_private_key_file=$ROSEY_SSH_KEY_FILE")
  node "$ROOT/bin/rosey-apply.cjs" "$@" "${args[@]}"
}

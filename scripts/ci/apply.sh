#!/usr/bin/env bash
# Apply a playbook to an environment, then verify it.
#   scripts/ci/apply.sh <env> [playbook] [-- extra rosey-apply args]
source "$(dirname "$0")/common.sh"
env="${1:?usage: apply.sh <env> [playbook] [-- args]}"; shift
playbook="playbooks/site.yml"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then playbook="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
inv="$(inventory_for "$env")"
rosey "$playbook" -i "$inv" --output plain "$@"
if [ -z "${ROSEY_SKIP_VERIFY:-}" ] && [ -f playbooks/verify.yml ]; then
  rosey playbooks/verify.yml -i "$inv" --output plain
fi

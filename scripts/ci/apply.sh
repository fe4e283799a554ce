#!/usr/bin/env bash
# Apply a playbook to an environment, then verify it.
#   scripts/ci/apply.sh <env> [playbook] [-- extra rosey-apply args]
# Environment: ROSEY_REASON, ROSEY_VERSION (recorded with the run).
source "$(dirname "$0")/common.sh"
env="${1:?usage: apply.sh <env> [playbook] [-- args]}"; shift
playbook="playbooks/site.yml"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then playbook="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
inv="$(inventory_for "$env")"
# The release being deployed goes into the run record (dashboard, `runs`).
if [ -n "${ROSEY_VERSION:-}" ]; then set -- -e "rosey_version=$ROSEY_VERSION" "$@"; fi
rosey "$playbook" -i "$inv" --output plain "$@"
if [ -z "${ROSEY_SKIP_VERIFY:-}" ] && [ -f playbooks/verify.yml ]; then
  rosey playbooks/verify.yml -i "$inv" --output plain
fi

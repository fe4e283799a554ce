#!/usr/bin/env bash
# A dry run of a playbook on an environment: --check --diff, the recap in the
# job summary. Exit 0 when nothing would change or changes are pending (a
# pull request is allowed to change things); anything else fails.
# With ROSEY_PLAN_OUT=<file> the plan is saved there too (check.yml keeps it
# as the pull request's artifact; apply-plan.sh applies it after the merge).
#   scripts/ci/check.sh <env> [playbook]
source "$(dirname "$0")/common.sh"
env="${1:?usage: check.sh <env> [playbook]}"
playbook="${2:-playbooks/site.yml}"
inv="$(inventory_for "$env")"
set +e
out=()
[ -n "${ROSEY_PLAN_OUT:-}" ] && out=(--out "$ROSEY_PLAN_OUT")
rosey "$playbook" -i "$inv" --check --diff --detailed-exitcode --output plain "${out[@]}"
rc=$?
set -e
case "$rc" in
  0) echo "check: $env matches $playbook" ;;
  3) echo "check: changes pending on $env (see the diff above)" ;;
  *) exit "$rc" ;;
esac

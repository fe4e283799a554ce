#!/usr/bin/env bash
# The scheduled drift check of an environment (drift.yml): a dry run with
# --detailed-exitcode, its record posted to the dashboard (POST /api/drift),
# which keeps per environment when it last matched and what drifted.
#   scripts/ci/drift.sh <env> [playbook]
# Exit 0: the environment matches its playbooks; 3: it drifted (the diff is
# above, the dashboard has it); anything else: the check itself failed (the
# record, when there is one, is still posted: the dashboard shows a failed check).
# ROSEY_DASHBOARD_URL   the dashboard's base URL (unset: nothing is posted)
# ROSEY_DASHBOARD_TOKEN its write token (goes to curl in a 0600 file, never on a command line)
source "$(dirname "$0")/common.sh"
env="${1:?usage: drift.sh <env> [playbook]}"
playbook="${2:-playbooks/site.yml}"
inv="$(inventory_for "$env")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

set +e
ROSEY_JOURNAL_DIR="$work/runs" rosey "$playbook" -i "$inv" --check --diff --detailed-exitcode --output plain
rc=$?
set -e
case "$rc" in
  0) echo "drift: $env matches $playbook" ;;
  3) echo "::warning::drift: $env no longer matches $playbook (the changes it would take are above)" ;;
  *) echo "::error::drift: the check of $env failed (exit $rc)" ;;
esac

record="$(find "$work/runs" -name '*.json' 2>/dev/null | head -n 1)"
if [ -z "${ROSEY_DASHBOARD_URL:-}" ]; then
  echo "::warning::ROSEY_DASHBOARD_URL is not set: the result is not posted to the dashboard"
elif [ -z "$record" ]; then
  echo "::warning::no run record (the playbook or inventory did not load): nothing to post"
else
  umask 077
  printf 'authorization: Bearer %s\n' "${ROSEY_DASHBOARD_TOKEN:-}" > "$work/auth"
  if curl -sS --max-time 10 --fail-with-body -o "$work/answer" -H @"$work/auth" -H 'content-type: application/json' \
      --data-binary @"$record" "${ROSEY_DASHBOARD_URL%/}/api/drift"; then
    echo "drift: posted to the dashboard"
  else
    echo "::warning::the dashboard did not take the drift result: $(cat "$work/answer" 2>/dev/null)"
  fi
fi
exit "$rc"

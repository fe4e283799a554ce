#!/usr/bin/env bash
# Apply the plan reviewed on the pull request when it was made from exactly
# this content (its git tree is HEAD's, no uncommitted files); otherwise
# apply the playbook as apply.sh does. Then verify.
#   scripts/ci/apply-plan.sh <env> <plan.json> [playbook]
# Exit 5: a host drifted between the review and now (rosey-apply apply
# refused it and left it untouched): look at the host, then re-run check.
source "$(dirname "$0")/common.sh"
env="${1:?usage: apply-plan.sh <env> <plan.json> [playbook]}"
plan="${2:?usage: apply-plan.sh <env> <plan.json> [playbook]}"
playbook="${3:-playbooks/site.yml}"
inv="$(inventory_for "$env")"

# why the plan cannot be used, or nothing when it can
unusable() {
  [ -f "$plan" ] || { echo "no reviewed plan ($plan)"; return; }
  local tree dirty head
  tree="$(node -e 'const p=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(p.git?.tree ?? "")' "$plan")" || { echo "$plan is not readable"; return; }
  dirty="$(node -e 'const p=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); process.stdout.write(String(p.git?.dirty ?? true))' "$plan")"
  head="$(git rev-parse 'HEAD^{tree}' 2>/dev/null || true)"
  [ -n "$tree" ] || { echo "the plan names no git commit"; return; }
  [ "$dirty" = false ] || { echo "the plan was made from uncommitted files"; return; }
  [ "$tree" = "$head" ] || echo "the plan was made from other content (tree $tree, this commit has $head)"
}

why="$(unusable)"
if [ -z "$why" ]; then
  echo "apply: the reviewed plan $plan matches this commit: applying exactly it"
  set +e
  rosey apply "$plan" --output plain
  rc=$?
  set -e
  if [ "$rc" = 5 ]; then
    echo "::error::hosts of $env changed since the plan was reviewed; they were not touched (see REFUSED above). Run check again and review the new plan."
    exit 5
  fi
  [ "$rc" = 0 ] || exit "$rc"
else
  echo "apply: $why: applying $playbook as it is"
  rosey "$playbook" -i "$inv" --output plain
fi
if [ -z "${ROSEY_SKIP_VERIFY:-}" ] && [ -f playbooks/verify.yml ]; then
  rosey playbooks/verify.yml -i "$inv" --output plain
fi

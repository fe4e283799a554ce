#!/usr/bin/env bash
# Download the plan check.yml saved for the pull request that brought
# <commit> to main (the artifact rosey-plan-<env>) into <dir>. Finding none
# is not an error: apply-plan.sh then applies the playbook as it is.
#   scripts/ci/fetch-reviewed-plan.sh <env> <commit> <dir>
# Needs GH_TOKEN (actions: read, pull-requests: read) and GITHUB_REPOSITORY.
source "$(dirname "$0")/common.sh"
env="${1:?usage: fetch-reviewed-plan.sh <env> <commit> <dir>}"
commit="${2:?usage: fetch-reviewed-plan.sh <env> <commit> <dir>}"
dir="${3:?usage: fetch-reviewed-plan.sh <env> <commit> <dir>}"
[[ "$env" =~ ^[a-z][a-z0-9-]*$ ]] || die "environment must be a plain name, not '$env'"
[[ "$commit" =~ ^[0-9a-f]{40}$ ]] || die "commit must be a full sha, not '$commit'"
repo="${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}"
mkdir -p "$dir"

pr="$(gh api "repos/$repo/commits/$commit/pulls" --jq '.[0].number // empty' 2>/dev/null || true)"
if [ -z "$pr" ]; then echo "no pull request brought $commit: no reviewed plan"; exit 0; fi
run="$(gh api "repos/$repo/actions/workflows/check.yml/runs?event=pull_request&status=success&per_page=100" \
  --jq "[.workflow_runs[] | select(any(.pull_requests[]?; .number == $pr))][0].id // empty" 2>/dev/null || true)"
if [ -z "$run" ]; then echo "no successful check run for pull request #$pr: no reviewed plan"; exit 0; fi
if gh run download "$run" --repo "$repo" --name "rosey-plan-$env" --dir "$dir" >/dev/null 2>&1; then
  echo "reviewed plan of pull request #$pr (check run $run) in $dir"
else
  echo "check run $run of pull request #$pr kept no plan for $env"
fi

#!/usr/bin/env bash
# Roll an environment's bot back: to the previous release, or to a given id.
#   scripts/ci/rollback.sh <env> [release-id] [reason]
source "$(dirname "$0")/common.sh"
env="${1:?usage: rollback.sh <env> [release-id] [reason]}"
release="${2:-}"
reason="${3:-rollback from CI}"
[ -z "$release" ] || [[ "$release" =~ ^[A-Za-z0-9._-]+$ ]] || die "release id '$release' has characters a release id never has"
inv="$(inventory_for "$env")"
args=(-e "{\"reason\": $(node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$reason")}")
[ -n "$release" ] && args+=(-e "release=$release")
ROSEY_REASON="$reason" rosey playbooks/rollback.yml -i "$inv" --output plain "${args[@]}"

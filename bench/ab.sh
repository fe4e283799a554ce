#!/bin/bash
# Two builds of rosey-apply side by side: runs BASE's and this checkout's
# bin/rosey-apply.cjs alternately (base, new, base, new, ...) on the same
# inventory, each started by its shebang as `rosey-apply` is, stdout to a
# pipe as in the harness, and prints each one's median wall clock (min,
# max) and median CPU (user + system). Alternating
# is what makes two builds comparable on a VM whose speed drifts from one
# minute to the next. BASE is another checkout, built (`git worktree add
# /tmp/base <commit> && cd /tmp/base && npm ci && npm run build`).
# Usage: bench/ab.sh BASE ROUNDS PLAYBOOK INVENTORY [rosey-apply args...]
set -eu
base=$1 rounds=$2 playbook=$3 inventory=$4
shift 4
new=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/lib/alternate.sh"
for _ in $(seq "$rounds"); do
  timed base "$base/bin/rosey-apply.cjs" "$playbook" -i "$inventory" "$@"
  timed new "$new/bin/rosey-apply.cjs" "$playbook" -i "$inventory" "$@"
done
summary base new

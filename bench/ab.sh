#!/bin/bash
# Two builds of rosey-apply side by side: runs BASE's and this checkout's
# bin/rosey-apply.cjs alternately (base, new, base, new, ...) on the same
# inventory, stdout to a pipe as in the harness, and prints each one's
# median wall clock (min, max) and median CPU (user + system). Alternating
# is what makes two builds comparable on a VM whose speed drifts from one
# minute to the next. BASE is another checkout, built (`git worktree add
# /tmp/base <commit> && cd /tmp/base && npm ci && npm run build`).
# Usage: bench/ab.sh BASE ROUNDS PLAYBOOK INVENTORY [rosey-apply args...]
set -eu
base=$1 rounds=$2 playbook=$3 inventory=$4
shift 4
new=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in $(seq "$rounds"); do
  for which in base new; do
    root=$base
    [ "$which" = new ] && root=$new
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$out/time" node "$root/bin/rosey-apply.cjs" "$playbook" -i "$inventory" "$@" 2>&1 | cat > /dev/null
    end=$(date +%s%N)
    echo "$(((end - start) / 1000000)) $(awk '{printf "%d", ($1 + $2) * 1000}' "$out/time")" >> "$out/$which"
  done
done
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
for which in base new; do
  wall=$(cut -d' ' -f1 "$out/$which" | sort -n)
  printf '%-4s wall median %s ms (min %s, max %s), CPU median %s ms, %s runs\n' "$which" \
    "$(echo "$wall" | median)" "$(echo "$wall" | head -1)" "$(echo "$wall" | tail -1)" \
    "$(cut -d' ' -f2 "$out/$which" | median)" "$(wc -l < "$out/$which")"
done

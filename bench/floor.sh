#!/bin/bash
# Rosey next to the floor of a run over SSH (bench/floor.cjs: Node's start,
# the same SSH client, a login to every host and one `sudo -n true` each),
# alternately on the same inventory, stdout to a pipe as in the harness.
# Prints each one's median wall clock (min, max) and median CPU (user +
# system), and what Rosey adds over the floor. Run after `npm run build`.
# Usage: bench/floor.sh ROUNDS PLAYBOOK INVENTORY [rosey-apply args...]
set -eu
rounds=$1 playbook=$2 inventory=$3
shift 3
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for _ in $(seq "$rounds"); do
  for which in floor rosey; do
    start=$(date +%s%N)
    if [ "$which" = floor ]; then
      /usr/bin/time -f '%U %S' -o "$out/time" node "$root/bench/floor.cjs" "$inventory" 2>&1 | cat > /dev/null
    else
      /usr/bin/time -f '%U %S' -o "$out/time" node "$root/bin/rosey-apply.cjs" "$playbook" -i "$inventory" "$@" 2>&1 | cat > /dev/null
    fi
    end=$(date +%s%N)
    echo "$(((end - start) / 1000000)) $(awk '{printf "%d", ($1 + $2) * 1000}' "$out/time")" >> "$out/$which"
  done
done
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
for which in floor rosey; do
  wall=$(cut -d' ' -f1 "$out/$which" | sort -n)
  printf '%-5s wall median %s ms (min %s, max %s), CPU median %s ms, %s runs\n' "$which" \
    "$(echo "$wall" | median)" "$(echo "$wall" | head -1)" "$(echo "$wall" | tail -1)" \
    "$(cut -d' ' -f2 "$out/$which" | median)" "$(wc -l < "$out/$which")"
done
printf 'rosey over the floor: %s ms (medians)\n' "$(($(cut -d' ' -f1 "$out/rosey" | median) - $(cut -d' ' -f1 "$out/floor" | median)))"

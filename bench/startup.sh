#!/bin/sh
# Start-up: wall clock of `rosey-apply --syntax-check` of a one-task
# playbook (started by its shebang, as `rosey-apply` is) next to `node -e 0`,
# N runs each, interleaved (so load drift hits both), min and median in ms.
# Where NODE_EXTRA_CA_CERTS is set, `node -e 0` without it too: Node reads
# that file at its start, and the CLI's shebang keeps it from Node.
# Run after `npm run build`.
# Usage: bench/startup.sh [N]   (default 20)
set -eu
n=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf -- '- hosts: all\n  gather_facts: false\n  tasks:\n    - {name: one, command: "true"}\n' > "$dir/one.yml"
printf 'all:\n  hosts:\n    a: {ansible_host: 192.0.2.1}\n' > "$dir/hosts.yml"
ms() { s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
for i in $(seq "$n"); do
  ms node -e 0 >> "$dir/node"
  if [ -n "${NODE_EXTRA_CA_CERTS-}" ]; then ms env -u NODE_EXTRA_CA_CERTS node -e 0 >> "$dir/bare"; fi
  ms "$root/bin/rosey-apply.cjs" "$dir/one.yml" -i "$dir/hosts.yml" --syntax-check >> "$dir/rosey"
done
stats() { sort -n "$1" | awk -v what="$2" '{a[NR]=$1} END {printf "%-40s min %4d ms  median %4d ms  (%d runs)\n", what, a[1], a[int((NR+1)/2)], NR}'; }
echo "load: $(uptime)"
stats "$dir/node" 'node -e 0'
if [ -s "$dir/bare" ]; then stats "$dir/bare" 'node -e 0 without NODE_EXTRA_CA_CERTS'; fi
stats "$dir/rosey" 'rosey-apply --syntax-check (one task)'

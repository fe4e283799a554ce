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
. "$(dirname "$0")/lib/alternate.sh"
for _ in $(seq "$rounds"); do
  # the floor: Node without NODE_EXTRA_CA_CERTS, as bin/rosey-apply.cjs's shebang starts it
  timed floor env -u NODE_EXTRA_CA_CERTS node "$root/bench/floor.cjs" "$inventory"
  timed rosey "$root/bin/rosey-apply.cjs" "$playbook" -i "$inventory" "$@"
done
summary floor rosey
printf 'rosey over the floor: %s ms (medians)\n' "$(($(wall_median rosey) - $(wall_median floor)))"

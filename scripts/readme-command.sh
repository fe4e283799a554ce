#!/usr/bin/env bash
# Prints README.md's N-th command: the indented lines at its top, before
# the first paragraph, trailing comment dropped. .ci/run runs the second
# (every test).
set -euo pipefail
n=${1:?usage: readme-command.sh N}
cd "$(dirname "$0")/.."
awk -v n="$n" '
  NR > 2 && $0 != "" && substr($0, 1, 4) != "    " { exit }
  substr($0, 1, 4) == "    " { k++; if (k == n) { sub(/^ +/, ""); sub(/[ \t]+#.*$/, ""); print; exit } }
' README.md

#!/bin/sh
# Record what Ansible does with each compatibility case, once, into
# <case>/expected.json (exit code, what ran per host in order, the recap), so
# test/unit/cli/ansible-compat.test.ts needs no Ansible at run time.
# Usage: scripts/ansible-compat/record.sh [case-dir...]  (default: all cases)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../../test/fixtures/ansible-compat"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
version=$(ansible-playbook --version | sed -n 1p)
[ $# -gt 0 ] || set -- "$root"/[0-9]*/
for dir in "$@"; do
  dir=${dir%/}
  inv="$root/hosts.yml"
  [ -f "$dir/hosts.yml" ] && inv="$dir/hosts.yml"
  set +e
  (cd "$dir" && ANSIBLE_CALLBACK_PLUGINS="$here/callback_plugins" ANSIBLE_STDOUT_CALLBACK=rosey_compat \
    ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_DEPRECATION_WARNINGS=false \
    ansible-playbook -i "$inv" site.yml >"$tmp" 2>/dev/null)
  rc=$?
  set -e
  tail -n 1 "$tmp" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ran = {}
for line in d["ran"]:
    host, rest = line.split(" ", 1)
    ran.setdefault(host, []).append(rest)
print(json.dumps({"ansible": sys.argv[2], "rc": int(sys.argv[1]), "ran": ran, "recap": d["recap"]}, indent=2))
' "$rc" "$version" > "$dir/expected.json"
  echo "$(basename "$dir"): rc $rc"
done

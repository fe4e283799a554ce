#!/bin/sh
# The long-lived shell's cost per command on this machine's /bin/sh: the
# old way (a `sh` of its own that reads the script from a here-document with
# `cat`), a `sh` of its own reading it with the shell's `read`, and the way
# src/transport/shell-session.ts runs it now (a subshell that `eval`s it).
# N commands each, a 952-byte script that does next to nothing; prints
# the CPU (user + system) per command in ms.
# Usage: bench/subshell.sh [N]   (default 500)
set -eu
n=${1:-500}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
i=0 s=
while [ $i -lt 14 ]; do s="${s}x=1; [ -n \"\$x\" ] && : ok  # padding to a typical fact script's size
"; i=$((i + 1)); done
printf '%s' "$s" > "$dir/script"
cat > "$dir/cat" <<'SH'
s=$(cat "$1"); i=0
while [ $i -lt "$2" ]; do
/bin/sh -c 'eval "$(cat <&3)" 3<&-' sh 3<<ROSEY_SCRIPT </dev/null
$s
ROSEY_SCRIPT
i=$((i + 1)); done
SH
cat > "$dir/read" <<'SH'
s=$(cat "$1"); i=0
while [ $i -lt "$2" ]; do
/bin/sh -c 's=; while IFS= read -r l <&3; do s="$s$l
"; done; exec 3<&-; eval "$s"' sh 3<<ROSEY_SCRIPT </dev/null
$s
ROSEY_SCRIPT
i=$((i + 1)); done
SH
cat > "$dir/subshell" <<'SH'
rosey_s=$(cat "$1"); i=0
while [ $i -lt "$2" ]; do
(eval "unset rosey_s
$rosey_s") </dev/null
i=$((i + 1)); done
SH
echo "$(wc -c < "$dir/script") bytes a script, $n commands each, /bin/sh -> $(readlink -f /bin/sh)"
for way in cat read subshell; do
  /usr/bin/time -f '%U %S' -o "$dir/t" /bin/sh "$dir/$way" "$dir/script" "$n"
  awk -v way="$way" -v n="$n" '{printf "%-9s %.2f ms of CPU a command\n", way, ($1 + $2) * 1000 / n}' "$dir/t"
done

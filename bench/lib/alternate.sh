# Shared by bench/ab.sh and bench/floor.sh (sourced, bash): commands timed
# into named series, stdout to a pipe as in the harness, and each series'
# medians. Alternating the commands is what makes them comparable on a VM
# whose speed drifts from one minute to the next.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# timed SERIES COMMAND...: one run; its wall clock and CPU (user + system), in ms, join SERIES
timed() {
  local series=$1 start end
  shift
  start=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$out/time" "$@" 2>&1 | cat > /dev/null
  end=$(date +%s%N)
  # the last line: a failed command's first line says how it exited
  echo "$(((end - start) / 1000000)) $(tail -1 "$out/time" | awk '{printf "%d", ($1 + $2) * 1000}')" >> "$out/$series"
}

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# wall_median SERIES
wall_median() { cut -d' ' -f1 "$out/$1" | median; }

# summary SERIES...: each one's median wall clock (min, max) and median CPU
summary() {
  local series wall
  for series in "$@"; do
    wall=$(cut -d' ' -f1 "$out/$series" | sort -n)
    printf '%-5s wall median %s ms (min %s, max %s), CPU median %s ms, %s runs\n' "$series" \
      "$(echo "$wall" | median)" "$(echo "$wall" | head -1)" "$(echo "$wall" | tail -1)" \
      "$(cut -d' ' -f2 "$out/$series" | median)" "$(wc -l < "$out/$series")"
  done
}

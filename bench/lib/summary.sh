# Sourced by the bench scripts: `summary WHAT BASELINE CAMELCAST RATIO GOAL MET` appends one row to
# the file named by $BENCH_SUMMARY (bench/all sets it and prints the rows as one table); without it
# the call does nothing, so each script also runs on its own.
summary() {
  if [ -n "${BENCH_SUMMARY:-}" ]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" >> "$BENCH_SUMMARY"
  fi
  return 0
}

# `meets VALUE OP LIMIT` prints yes or no (awk compares the numbers; OP is >= or <=).
meets() {
  awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN{ok = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 <= l + 0); print ok ? "yes" : "NO"}'
}

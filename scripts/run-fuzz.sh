#!/bin/sh
# Runs every libFuzzer harness built by `make fuzz` for SECONDS each (default 30), one after
# the other, each on a fresh copy of its seed corpus (tests/fuzz/corpus/<name>/, never
# modified here). Fails when any harness crashes, leaks, times out or breaks an invariant,
# and prints the reproducer path; re-run one with: build-fuzz/fuzz_<name> <reproducer>.
#   scripts/run-fuzz.sh [SECONDS] [NAME...]
# Environment: FUZZ_JOBS (parallel harnesses, default 1), FUZZ_OUT (default build-fuzz/run).
set -u
cd "$(dirname "$0")/.."
secs=${1:-30}
[ $# -gt 0 ] && shift
names=${*:-$(make --no-print-directory -s fuzz-names)}
out=${FUZZ_OUT:-build-fuzz/run}
make --no-print-directory fuzz >/dev/null || exit 1
rm -rf "$out"
mkdir -p "$out"

run_one() {
  name=$1
  dir="$out/$name"
  mkdir -p "$dir/corpus" "$dir/crashes"
  seeds=tests/fuzz/corpus/"$name"
  [ -d "$seeds" ] || seeds=tests/fuzz/corpus/"${name%_small}"
  cp "$seeds"/* "$dir/corpus/" 2>/dev/null
  # -max_len 8192 lets the CSV padding harness reach the 64 KiB buffer boundary cheaply
  # (it adds the padding itself); -timeout flags a single input stuck for 10 s as a hang.
  build-fuzz/fuzz_"$name" "$dir/corpus" -max_total_time="$secs" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/crashes/" \
    >"$dir/log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  if [ $rc -ne 0 ]; then
    echo "FAIL fuzz_$name (exit $rc) — log: $dir/log"
    for f in "$dir"/crashes/*; do
      [ -e "$f" ] && echo "  reproducer: $f  (build-fuzz/fuzz_$name $f)"
    done
    grep -m3 -E "ERROR:|invariant failed|runtime error" "$dir/log" | sed 's/^/  /'
    return 1
  fi
  echo "ok   fuzz_$name: ${execs:-?} executions in ${secs}s"
}

status=0
jobs=${FUZZ_JOBS:-1}
if [ "$jobs" -le 1 ]; then
  for n in $names; do run_one "$n" || status=1; done
else
  # batches of $jobs harnesses; each runs the same time, so batches end together
  set -- $names
  while [ $# -gt 0 ]; do
    pids=""
    i=0
    while [ $# -gt 0 ] && [ $i -lt "$jobs" ]; do
      run_one "$1" >"$out/$1.summary" 2>&1 &
      pids="$pids $!"
      i=$((i + 1))
      shift
    done
    for p in $pids; do wait "$p" || status=1; done
  done
  for n in $names; do cat "$out/$n.summary"; done
fi
exit $status

#!/bin/sh
# Benchmarks of the matching engine (no database), in one run on this machine:
#   1. the global allocation against networkx on the same 2,000 x 2,000 instance (ratio)
#   2. the allocation alone on 100,000 x 100,000 with 20 random candidates per need (2M edges)
#   3. a synthetic district of 100,000 needs and 100,000 resources: index build, suggestions for
#      one need (p50/p99 over 1,000 needs), candidate generation, and the allocation on it
# Peak memory from /usr/bin/time -v. Results: bench/out/matching.txt (copy into
# docs/benchmarks.md, section "Matching engine").
#
#   sh bench/matching.sh [SIZE]      (default 100000)
set -eu
cd "$(dirname "$0")/.."
SIZE=${1:-100000}
OUT=bench/out
mkdir -p "$OUT"
make -s all >/dev/null
BIN=$OUT/tongxin.$$
cp build/tongxin "$BIN"
trap 'rm -f "$BIN"' EXIT
peak() { awk -F: '/Maximum resident/ {gsub(/ /, "", $2); printf "%.0f MB", $2 / 1024}' "$1"; }
{
  echo "# matching benchmarks $(date -u +%FT%TZ) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "## 1. 2,000 x 2,000 against networkx"
  python3 bench/matching_vs_networkx.py --bin "$BIN" --size 2000 --k 20 --seed 1
  echo "## 2. allocation alone, $SIZE x $SIZE, 20 random candidates per need"
  /usr/bin/time -v "$BIN" matching bench --flow-only --needs "$SIZE" --resources "$SIZE" --k 20 \
    2>"$OUT/time-flow.txt"
  echo "peak RSS $(peak "$OUT/time-flow.txt")"
  echo "## 3. synthetic district, $SIZE needs x $SIZE resources, k = 20"
  /usr/bin/time -v "$BIN" matching bench --needs "$SIZE" --resources "$SIZE" --k 20 \
    --queries 1000 2>"$OUT/time-district.txt"
  echo "peak RSS $(peak "$OUT/time-district.txt")"
} | tee "$OUT/matching.txt"

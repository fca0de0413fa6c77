#!/bin/sh
# Board search benchmark (issue 4: p99 under 50 ms at 8 connections over 200,000 posts).
#
#   sh bench/boards.sh [sqlite|postgres|both] [POSTS]      (default: both, 200000 posts)
#
# For each engine: a demo district of 320 organizations plus POSTS generated posts
# (`tongxin demo --board-posts`, timed), then wrk (2 threads, 8 connections, keep-alive) with
# bench/boards_search.lua: one- and two-character words, 20 results, newest first, as
#   - an organization member (the visibility filter and hidden-post exclusion in the query)
#   - a staff member (every board)
# Results: bench/out/boards-<engine>.md (copy them into docs/benchmarks.md).
set -eu
cd "$(dirname "$0")/.."
ENGINES=${1:-both}
[ "$ENGINES" = both ] && ENGINES="sqlite postgres"
POSTS=${2:-200000}
DURATION=${BENCH_DURATION:-10}
OUT=$(pwd)/bench/out
mkdir -p "$OUT"
make -s all >/dev/null
BIN=$OUT/tongxin-boards.$$
cp build/tongxin "$BIN"
PORT=${BENCH_PORT:-28092}
PASSWORD=Tongxin@2026

wrk_line() { # label, wrk output file -> markdown row: req/s, p50, p99, non-2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p50=$(awk '$1=="50%" {print $2}' "$2")
  p99=$(awk '$1=="99%" {print $2}' "$2")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$2")
  echo "| $1 | $rps | $p50 | $p99 | ${non2xx:-0} |"
}
now_ms() { date +%s%3N; }
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true; }
trap 'cleanup; rm -f "$BIN"' EXIT

login() { # user -> cookie header value
  curl -s -c "$OUT/cookies-$1" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" http://127.0.0.1:$PORT/api/v1/session >/dev/null
  echo "tongxin_session=$(awk '$6=="tongxin_session" {print $7}' "$OUT/cookies-$1")"
}

for ENGINE in $ENGINES; do
  R="$OUT/boards-$ENGINE.md"
  if [ "$ENGINE" = postgres ]; then
    BASE=$(scripts/pg-test.sh)
    psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS tongxin_bench_boards WITH (FORCE)" >/dev/null
    psql "$BASE/postgres" -qc "CREATE DATABASE tongxin_bench_boards" >/dev/null
    DB="$BASE/tongxin_bench_boards"
  else
    rm -rf "$OUT/sqlite-boards"; mkdir -p "$OUT/sqlite-boards"
    DB="$OUT/sqlite-boards/bench.db"
  fi
  echo "## board search, $ENGINE — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB" > "$R"
  echo >> "$R"
  "$BIN" init --database "$DB" >/dev/null
  t0=$(now_ms)
  "$BIN" demo --scale 320 --board-posts "$POSTS" --database "$DB" >/dev/null 2>&1
  t1=$(now_ms)
  echo "- demo with $POSTS generated posts (tokenized and indexed): $(( t1 - t0 )) ms" >> "$R"
  "$BIN" serve --quiet --database "$DB" --listen 127.0.0.1:$PORT 2>/dev/null &
  SERVER=$!
  until curl -sf -o /dev/null http://127.0.0.1:$PORT/healthz; do sleep 0.05; done
  MEMBER=$(login member)
  STAFF=$(login staff)
  TOTAL=$(curl -s -H "Cookie: $MEMBER" "http://127.0.0.1:$PORT/api/v1/boards/search?q=%E7%A4%BE%E5%8C%BA&per_page=1")
  echo "- a sample answer (\"社区\", 1 result): \`$TOTAL\`" | cut -c1-400 >> "$R"
  echo >> "$R"
  echo "| what | req/s | p50 | p99 | non-2xx |" >> "$R"
  echo "| --- | --- | --- | --- | --- |" >> "$R"
  BENCH_COOKIE="$MEMBER" wrk -t2 -c8 -d${DURATION}s --latency -s bench/boards_search.lua http://127.0.0.1:$PORT > "$OUT/wrk-boards-member.txt"
  wrk_line "board search as an organization member, 8 conns" "$OUT/wrk-boards-member.txt" >> "$R"
  BENCH_COOKIE="$STAFF" wrk -t2 -c8 -d${DURATION}s --latency -s bench/boards_search.lua http://127.0.0.1:$PORT > "$OUT/wrk-boards-staff.txt"
  wrk_line "board search as staff (every board), 8 conns" "$OUT/wrk-boards-staff.txt" >> "$R"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  cat "$R"
done

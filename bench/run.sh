#!/bin/sh
# Benchmarks for the foundation, measured side by side in ONE run on this machine (a shared,
# noisy machine: compare ratios, not absolute numbers across runs).
#
#   sh bench/run.sh [sqlite|postgres|both] [SCALE]      (default: both, 100000 organizations)
#
# For each engine: loads SCALE demo organizations (timed), measures `serve` start-up to first
# healthy answer, then drives wrk (2 threads, keep-alive) against
#   - nginx serving the very JSON bytes of one organization as a static file (the practical limit)
#   - tongxin GET /api/v1/orgs/{id} with a session cookie (64 connections)
#   - tongxin search with a two-character Chinese word, 20 results (8 connections)
#   - tongxin durable creates POST /api/v1/orgs (8 connections)
#   - /healthz alone and while argon2id logins are in flight (the worker pool at work)
# and records the server's peak memory (VmHWM), CSV export and re-import of all organizations.
# Results: bench/out/results-<engine>.md (copy them into docs/benchmarks.md).
set -eu
cd "$(dirname "$0")/.."
ENGINES=${1:-both}
[ "$ENGINES" = both ] && ENGINES="sqlite postgres"
SCALE=${2:-100000}
DURATION=${BENCH_DURATION:-10}
OUT=$(pwd)/bench/out
mkdir -p "$OUT"
make -s all >/dev/null
# a private copy: rebuilding build/ during a run must not swap the binary under the benchmark
BIN=$OUT/tongxin.$$
cp build/tongxin "$BIN"
PORT=${BENCH_PORT:-28090}
NGINX_PORT=${BENCH_NGINX_PORT:-28091}
PASSWORD=Tongxin@2026

wrk_line() { # label, wrk output file -> markdown row: req/s, p50, p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p50=$(awk '$1=="50%" {print $2}' "$2")
  p99=$(awk '$1=="99%" {print $2}' "$2")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$2")
  echo "| $1 | $rps | $p50 | $p99 | ${non2xx:-0} |"
}

now_ms() { date +%s%3N; }

cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  [ -f "$OUT/nginx.pid" ] && nginx -c "$OUT/nginx.conf" -s stop 2>/dev/null || true
}
trap 'cleanup; rm -f "$BIN"' EXIT

for ENGINE in $ENGINES; do
  R="$OUT/results-$ENGINE.md"
  if [ "$ENGINE" = postgres ]; then
    BASE=$(scripts/pg-test.sh)
    if [ "${BENCH_REUSE:-0}" != 1 ]; then
      psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS tongxin_bench WITH (FORCE)" >/dev/null
    fi
    psql "$BASE/postgres" -qtAc "SELECT 1 FROM pg_database WHERE datname = 'tongxin_bench'" | grep -q 1 ||
      psql "$BASE/postgres" -qc "CREATE DATABASE tongxin_bench" >/dev/null
    DB="$BASE/tongxin_bench"
  else
    [ "${BENCH_REUSE:-0}" = 1 ] || rm -rf "$OUT/sqlite"
    mkdir -p "$OUT/sqlite"
    DB="$OUT/sqlite/bench.db"
  fi
  {
    echo "## $ENGINE — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB"
    echo
  } > "$R"

  "$BIN" init --database "$DB" >/dev/null
  t0=$(now_ms)
  "$BIN" demo --scale "$SCALE" --database "$DB" --if-empty >/dev/null
  t1=$(now_ms)
  echo "- demo load of $SCALE organizations (with people, grades, audit records, search index): $(( t1 - t0 )) ms (BENCH_REUSE=1 keeps an earlier load)" >> "$R"

  # start-up: process start to first 200 from /healthz, median of 5
  starts=""
  for i in 1 2 3 4 5; do
    t0=$(now_ms)
    "$BIN" serve --quiet --database "$DB" --listen 127.0.0.1:$PORT 2>/dev/null &
    pid=$!
    until curl -sf -o /dev/null http://127.0.0.1:$PORT/healthz; do sleep 0.005; done
    t1=$(now_ms)
    starts="$starts $(( t1 - t0 ))"
    kill $pid; wait $pid 2>/dev/null || true
  done
  echo "- serve ready (process start to first healthy reply), 5 runs: $starts ms" >> "$R"

  "$BIN" serve --quiet --database "$DB" --listen 127.0.0.1:$PORT 2>"$OUT/serve-$ENGINE.log" &
  SERVER=$!
  until curl -sf -o /dev/null http://127.0.0.1:$PORT/healthz; do sleep 0.01; done
  LOGIN=$(curl -s -c "$OUT/cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" http://127.0.0.1:$PORT/api/v1/session)
  CSRF=$(echo "$LOGIN" | sed 's/.*"csrf_token":"\([^"]*\)".*/\1/')
  COOKIE="tongxin_session=$(awk '$6=="tongxin_session" {print $7}' "$OUT/cookies")"
  ORG_ID=$(( SCALE / 2 ))
  mkdir -p "$OUT/static"
  curl -s -H "Cookie: $COOKIE" http://127.0.0.1:$PORT/api/v1/orgs/$ORG_ID > "$OUT/static/org.json"
  DIV=$(curl -s -H "Cookie: $COOKIE" http://127.0.0.1:$PORT/api/v1/divisions)
  STREET=$(echo "$DIV" | sed 's/.*"streets":\[{"code":"\([0-9]*\)".*/\1/')
  COMMUNITY=$(echo "$DIV" | sed 's/.*"streets":\[{[^]]*"communities":\[{"code":"\([0-9]*\)".*/\1/')

  cat > "$OUT/nginx.conf" <<NGINX
worker_processes 2;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server { listen 127.0.0.1:$NGINX_PORT; root $OUT/static; }
}
NGINX
  nginx -c "$OUT/nginx.conf"
  sleep 0.3

  {
    echo
    echo "| what | req/s | p50 | p99 | non-2xx |"
    echo "| --- | --- | --- | --- | --- |"
  } >> "$R"
  wrk -t2 -c64 -d${DURATION}s --latency http://127.0.0.1:$NGINX_PORT/org.json > "$OUT/wrk-nginx.txt"
  wrk_line "nginx static, same JSON bytes, 64 conns" "$OUT/wrk-nginx.txt" >> "$R"
  wrk -t2 -c64 -d${DURATION}s --latency -H "Cookie: $COOKIE" http://127.0.0.1:$PORT/api/v1/orgs/$ORG_ID > "$OUT/wrk-get.txt"
  wrk_line "tongxin GET /api/v1/orgs/{id} with session, 64 conns" "$OUT/wrk-get.txt" >> "$R"
  BENCH_COOKIE="$COOKIE" wrk -t2 -c8 -d${DURATION}s --latency -s bench/search.lua http://127.0.0.1:$PORT > "$OUT/wrk-search.txt"
  wrk_line "tongxin search, 2-char word, 20 results, 8 conns" "$OUT/wrk-search.txt" >> "$R"
  BENCH_COOKIE="$COOKIE" BENCH_CSRF="$CSRF" BENCH_STREET="$STREET" BENCH_COMMUNITY="$COMMUNITY" \
    wrk -t2 -c8 -d${DURATION}s --latency -s bench/create.lua http://127.0.0.1:$PORT > "$OUT/wrk-create.txt"
  wrk_line "tongxin durable creates POST /api/v1/orgs, 8 conns" "$OUT/wrk-create.txt" >> "$R"
  HWM_READS=$(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER/status)
  wrk -t2 -c16 -d5s --latency http://127.0.0.1:$PORT/healthz > "$OUT/wrk-health.txt"
  wrk_line "tongxin /healthz, no logins, 16 conns" "$OUT/wrk-health.txt" >> "$R"
  # logins in flight: 4 clients signing in continuously during the same measurement
  ( end=$(( $(date +%s) + 6 )); n=0
    while [ "$(date +%s)" -lt "$end" ]; do
      for k in 1 2 3 4; do
        curl -s -o /dev/null -H 'Content-Type: application/json' \
          -d "{\"username\":\"staff\",\"password\":\"$PASSWORD\"}" http://127.0.0.1:$PORT/api/v1/session &
      done
      wait; n=$((n + 4))
    done; echo "$n" > "$OUT/logins-done" ) &
  LOGINS=$!
  wrk -t2 -c16 -d5s --latency http://127.0.0.1:$PORT/healthz > "$OUT/wrk-health-logins.txt"
  wait $LOGINS
  wrk_line "tongxin /healthz while 4 argon2id logins are always in flight ($(cat "$OUT/logins-done") logins), 16 conns" "$OUT/wrk-health-logins.txt" >> "$R"

  HWM=$(awk '/VmHWM/ {print $2, $3}' /proc/$SERVER/status)
  nginx -c "$OUT/nginx.conf" -s stop
  kill $SERVER; wait $SERVER 2>/dev/null || true
  {
    echo
    NG=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-nginx.txt")
    TX=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-get.txt")
    echo "- GET /api/v1/orgs/{id} as a share of nginx's static rate: $(awk "BEGIN {printf \"%.0f%%\", 100*$TX/$NG}")"
    echo "- server peak memory (VmHWM) after the reads, searches and creates: $HWM_READS"
    echo "- server peak memory (VmHWM) after the sign-in phase (4 argon2id hashes of 64 MiB at once): $HWM"
  } >> "$R"

  # export all organizations to CSV, then import them into a fresh database
  t0=$(now_ms)
  /usr/bin/time -f "%M" -o "$OUT/export-rss" "$BIN" export orgs --format csv --database "$DB" --output "$OUT/orgs.csv"
  t1=$(now_ms)
  echo "- CSV export of all organizations: $(( t1 - t0 )) ms, peak RSS $(cat "$OUT/export-rss") KB, $(wc -l < "$OUT/orgs.csv") lines" >> "$R"
  if [ "$ENGINE" = postgres ]; then
    psql "$BASE/postgres" -qc "DROP DATABASE IF EXISTS tongxin_bench_import WITH (FORCE)" >/dev/null
    psql "$BASE/postgres" -qc "CREATE DATABASE tongxin_bench_import" >/dev/null
    DB2="$BASE/tongxin_bench_import"
  else
    DB2="$OUT/sqlite/import.db"; rm -f "$DB2"*
  fi
  "$BIN" init --database "$DB2" >/dev/null
  "$BIN" demo --scale 0 --database "$DB2" >/dev/null   # the district's streets, communities, accounts
  t0=$(now_ms)
  "$BIN" import orgs "$OUT/orgs.csv" --database "$DB2" > "$OUT/import.txt" 2>&1 || true
  t1=$(now_ms)
  echo "- CSV import of the exported file into a fresh database: $(( t1 - t0 )) ms ($(tail -n 1 "$OUT/import.txt"))" >> "$R"
  cat "$R"
done
